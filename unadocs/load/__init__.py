"""Reading the inputs: the consortium spec (YAML) and the learner list (CSV or XLSX).

This is the only place that reads them. Each reader bounds the size, depth
and time of what it parses before it parses it, and maps every problem to
the field and the file line (or row) where the user can fix it.
"""

from unadocs.load.learners import (
    LearnerRow,
    ListLayout,
    ListSurvey,
    learner_rows,
    read_column_map,
    read_learners,
    survey_learners,
)
from unadocs.load.spec import load_spec, parse_spec, read_yaml

__all__ = ["LearnerRow", "ListLayout", "ListSurvey", "learner_rows", "load_spec", "parse_spec", "read_column_map",
           "read_learners", "read_yaml", "survey_learners"]
