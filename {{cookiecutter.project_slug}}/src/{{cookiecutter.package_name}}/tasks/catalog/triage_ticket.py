"""Triage a customer support ticket: category, urgency and a one-line summary, as JSON."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from ..task import Task, prompt_file


class TicketCategory(StrEnum):
    BILLING = "billing"
    TECHNICAL = "technical"
    ACCOUNT = "account"
    OTHER = "other"


class Urgency(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    URGENT = "urgent"


class Ticket(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=8000)


class Triage(BaseModel):
    category: TicketCategory
    urgency: Urgency
    summary: str = Field(min_length=1, max_length=200)


TASK = Task(
    name="triage_ticket",
    description="Classify a support ticket by category and urgency, with a short summary.",
    prompt=prompt_file(__file__),
    input_model=Ticket,
    output_model=Triage,
    alias="default",
    owner="@ai-team",
)
