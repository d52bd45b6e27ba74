"""Storage: the only package that imports sqlmodel/sqlalchemy."""
