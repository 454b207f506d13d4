"""rq jobs and periodic ticks: thin functions taking ids."""
