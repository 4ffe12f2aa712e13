"""Token Service"""
