"""The application's services: the domain's functions with who-may-see-what applied per
record (a record a user may not see is "not found", never "forbidden")."""
