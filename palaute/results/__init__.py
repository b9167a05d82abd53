"""Results: what the survey's respondents answered, as tables, statistics, reports."""
