import sqlalchemy as sa

meta = sa.MetaData()
