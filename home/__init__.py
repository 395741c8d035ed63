"""The home page: what each role must act on or know this week (issue 20).

It reads from every app (returns and targets, plans, meetings and actions, imports), so it
sits above them all: nothing imports from it but the home view.
"""
