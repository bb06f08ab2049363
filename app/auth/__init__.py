"""Accounts and access: roles and what each may do, password hashing, login sessions, API
tokens, CSRF tokens, and the FastAPI dependencies that resolve the user behind a request."""
