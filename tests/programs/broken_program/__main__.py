"""A program with a bug: the preview must report it in one line and exit 2."""
settings = {}
print(settings["missing"])
