"""What `init` writes into a new project, read with importlib.resources.

providers.yaml, templates/ and workflows/ are symbolic links to the repository's own
providers.yaml, templates/ and .github/workflows/, so there is one copy of each: a build copies
their content into the package. overrides.yaml and gitignore are the starter files of a project.
"""
