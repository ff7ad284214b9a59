"""The lists admins keep: resource categories and audiences, offered in forms and checked on
every write."""
