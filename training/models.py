"""Training, groupwork and consultancy records arrive with the training issue."""
