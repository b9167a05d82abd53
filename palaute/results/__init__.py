"""Results: statistics, charts, the report PDF and the client bulletin.

Everything here works on ``palaute.results.data.SurveyData``, an in-memory model of the answers,
so that it can be fed from the survey store, from a test, or from the synthetic builder.
"""
