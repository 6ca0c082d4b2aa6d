"""Database layer: models, engine, migrations, reference data and reusable queries."""
