"""The domain rules: plain async functions over db/, no aiogram imports."""
