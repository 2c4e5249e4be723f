-- The last span write committed (schema 7): writes are numbered on from it.
SELECT seq FROM write_seq;
