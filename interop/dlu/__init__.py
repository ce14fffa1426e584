"""The DLU (document de liaison d'urgence) and the fiches de liaison d'urgence."""
