"""Pure-Python services of the chatbot (no ORM): the PII sanitizer and the
OpenAI-compatible chat client. Both are tested without a database."""
