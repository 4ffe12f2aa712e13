from private_gpt.arq.runner import run_arq_worker

__all__ = ["run_arq_worker"]
