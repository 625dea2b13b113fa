# planted at: annotator/web/home.py
RECENT = """
    WITH recent AS (select id from annotations order by id desc limit 10)
    select * from recent
"""
