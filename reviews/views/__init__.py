"""The reviews app's pages, a module for each thing shown or changed: scorecards (the
scorecards and the exception report), meetings (meetings, packs and surgeries), actions,
budget (budget monitoring) and feedback (complaints and compliments). Their URLs are in
reviews/urls.py."""
