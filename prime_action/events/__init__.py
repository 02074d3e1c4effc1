"""Prime's ears: the GitHub event that started a job, and the gate that says whether it wakes."""
