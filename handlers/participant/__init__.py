"""What participants do, one module per journey."""
