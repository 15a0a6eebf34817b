"""The disclosure module keeps nothing in the admin: the yearly report's table 四 (reconsideration and litigation
about disclosure answers) comes from the respondent module's records (respondent/), not from counters here."""
