"""Resumable uploads over the tus protocol (tuspyserver's router, behind our sign-in, CSRF
and size checks), received into the store's scratch folder and handed to ingestion."""
