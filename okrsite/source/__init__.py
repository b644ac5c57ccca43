"""Goal files into the model: the goals folder as a jail, YAML with line numbers, the file
format, references resolved."""
