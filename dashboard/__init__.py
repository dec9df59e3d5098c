"""UI glue shared by the pages: run configs, training jobs, evaluation and figures."""
