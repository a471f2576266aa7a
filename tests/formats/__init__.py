"""One module per format class of paper list: the project's own small lists, modelled on real ones."""
