"""The PHI guard's labeled posts and the evaluation that measures the scanner against them."""
