"""`python -m {{ cookiecutter.package_name }} new task|feature|migration`: the files a team would write by hand.

The templates under `templates/` are plain `string.Template` files (package data); nothing
here runs in the service, only on a developer's checkout.
"""
