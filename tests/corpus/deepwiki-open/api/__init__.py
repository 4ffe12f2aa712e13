# Make the api package importable

# api package
