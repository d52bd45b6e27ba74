"""RSQL, the filter language of conversation lists and group criteria: a pure core shared by the
conversations and management areas and by store/rsql_sql.py (which turns a Filter into SQL)."""
