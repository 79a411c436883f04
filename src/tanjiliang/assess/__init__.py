"""The assessment: findings with clauses and a conclusion; the JSON contract."""
