"""Use cases: functions that take a session first; they add and flush, never commit."""
