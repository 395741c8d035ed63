"""The indicators app's pages, a module for each thing shown or changed: home (the home
page and My returns), indicators (the indicator page and its audit trail), outturns
(entering, submitting and validating figures, bulk entry, rating overrides), periods
(locking), targets (a year's targets, quality assurance, sign-off) and spc (the SPC
baseline and the method page). Their URLs are in indicators/urls.py."""
