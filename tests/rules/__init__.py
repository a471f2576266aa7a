"""One test module per rule (bot/core/rules/): what the rule finds, in the seed list and in lists of
other formats, each judged the way `check --diff` judges an added line."""
