"""Entourage, référents, medical basics and life pages of a dossier (included at "usagers/")."""

from django.urls import path

from dui.views import entourage, medical

urlpatterns = [
    path("<int:pk>/entourage/", entourage.usager_entourage, name="usager-entourage"),
    path("<int:pk>/entourage/ajouter/", entourage.contact_add, name="contact-add"),
    path("<int:pk>/entourage/<int:contact_pk>/modifier/", entourage.contact_edit, name="contact-edit"),
    path("<int:pk>/entourage/<int:contact_pk>/clore/", entourage.contact_end, name="contact-end"),
    path("<int:pk>/referents/", entourage.referent_set, name="referent-set"),
    path("<int:pk>/medical/", medical.usager_medical, name="usager-medical"),
    path("<int:pk>/medical/indicateurs/", medical.medical_flags, name="medical-flags"),
    path("<int:pk>/medical/aucune-allergie/", medical.allergy_none, name="medical-allergy-none"),
    path("<int:pk>/medical/<slug:section>/ajouter/", medical.medical_add, name="medical-add"),
    path("<int:pk>/medical/<slug:section>/<int:row_pk>/clore/", medical.medical_end, name="medical-end"),
    path("<int:pk>/vie/", medical.usager_life, name="usager-life"),
    path("<int:pk>/vie/ajouter/", medical.life_add, name="life-add"),
    path("<int:pk>/vie/<int:row_pk>/clore/", medical.life_end, name="life-end"),
]
