"""The verdict and what to write: rules run over a file, findings into a review plan, the plan into GitHub writes or fixes."""
