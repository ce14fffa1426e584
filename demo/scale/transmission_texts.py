"""Scale data: the texts transmissions are drawn from (DAR per theme, narratives, unit notes, event
places, seizure types)."""

# (données, actions, résultats) per theme: combined at random, so that the texts vary.
DAR_BANK: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "douleur": (
        (
            "Se plaint de douleurs au genou droit à la mobilisation, EVA à 6.",
            "Grimaces lors de la toilette, algoplus à 3.",
            "Douleurs abdominales signalées après le repas de midi.",
            "Céphalées depuis le réveil.",
        ),
        (
            "Antalgique donné selon la prescription, installation au fauteuil avec coussin.",
            "Application de froid sur le genou, repos en chambre.",
            "Appel au médecin traitant, surveillance renforcée.",
        ),
        (
            "EVA à 2 une heure après, se dit soulagé(e).",
            "Douleur persistante, à réévaluer ce soir.",
            "S'est endormi(e) calmement après la prise.",
        ),
    ),
    "mobilite": (
        (
            "Retrouvé(e) au sol au pied du lit vers 3 h, conscient(e).",
            "Marche hésitante dans le couloir, se tient aux rampes.",
            "Refuse d'utiliser le déambulateur.",
            "Chute dans la salle de bain en se levant des toilettes.",
        ),
        (
            "Relevé(e) à deux avec le lève-personne, bilan des constantes, prévenu l'IDE.",
            "Accompagnement à la marche, rappel de l'usage du déambulateur.",
            "Surveillance neurologique toutes les heures, famille prévenue.",
        ),
        (
            "Pas de lésion visible, constantes stables.",
            "Hématome au coude droit, à surveiller.",
            "A accepté le déambulateur pour la fin de journée.",
        ),
    ),
    "sommeil": (
        (
            "Nuit agitée, s'est levé(e) quatre fois.",
            "Difficultés d'endormissement, réclame la lumière.",
            "Déambulation nocturne dans le couloir vers 2 h.",
        ),
        (
            "Réassurance, boisson chaude, raccompagné(e) en chambre.",
            "Veilleuse allumée, porte entrouverte.",
            "Changement de protection et réinstallation.",
        ),
        (
            "Endormi(e) vers minuit jusqu'au matin.",
            "Sommeil de courte durée, fatigue le matin.",
            "Nuit calme après la réassurance.",
        ),
    ),
    "alimentation": (
        (
            "N'a mangé que la moitié de son repas, refuse la viande.",
            "Toux pendant le repas, suspicion de fausse route.",
            "Boit peu malgré les sollicitations, lèvres sèches.",
            "Poids en baisse de 2 kg sur le mois.",
        ),
        (
            "Proposition d'un plat de substitution et d'un complément oral.",
            "Texture mixée, position assise à 90°, eau gélifiée.",
            "Feuille d'hydratation mise en place, verre toutes les heures.",
        ),
        ("A terminé le complément.", "Hydratation à 1 litre sur la journée.", "Repas pris sans difficulté le soir."),
    ),
    "elimination": (
        ("Pas de selles depuis trois jours.", "Urines foncées et malodorantes.", "Incontinence urinaire la nuit."),
        (
            "Hydratation renforcée, information à l'IDE, laxatif selon prescription.",
            "Bandelette urinaire réalisée.",
            "Changes programmés toutes les trois heures.",
        ),
        ("Selles le lendemain matin.", "Bandelette négative.", "Protection sèche au matin."),
    ),
    "comportement": (
        (
            "Agitation en fin d'après-midi, cherche à sortir de l'unité.",
            "Propos agressifs envers un autre résident.",
            "Repli en chambre, refuse de participer au repas collectif.",
            "Crie et tape sur la table pendant l'atelier.",
        ),
        (
            "Entretien au calme, proposition d'une promenade dans le jardin.",
            "Séparation des deux personnes, temps d'apaisement en chambre.",
            "Activité de médiation proposée (musique).",
        ),
        ("Apaisé(e) après la promenade.", "Reste tendu(e), à surveiller ce soir.", "A rejoint le groupe au goûter."),
    ),
    "soins": (
        (
            "Température à 38,4 °C à 16 h.",
            "Rougeur au talon gauche, stade 1.",
            "Refuse la prise du traitement du soir.",
            "Encombrement bronchique, saturation à 93 %.",
            "Crise tonico-clonique d'environ deux minutes.",
        ),
        (
            "Paracétamol selon protocole, hydratation, surveillance de la température.",
            "Mise en décharge du talon, matelas à air, effleurage.",
            "Traitement reproposé une heure plus tard.",
            "Position latérale de sécurité, chronométrage, appel de l'IDE.",
        ),
        (
            "Température à 37,6 °C à 20 h.",
            "Rougeur disparue à la levée de pression.",
            "Traitement pris.",
            "Récupération en vingt minutes, somnolent(e) ensuite.",
        ),
    ),
    "hygiene": (
        (
            "Refuse la douche ce matin.",
            "Peau sèche au niveau des jambes.",
            "Toilette faite au lavabo avec aide partielle.",
        ),
        (
            "Toilette reportée à l'après-midi, respect du refus.",
            "Application de crème hydratante.",
            "Stimulation à faire seul(e) le haut du corps.",
        ),
        ("Douche acceptée à 15 h.", "Peau mieux hydratée.", "A participé à sa toilette."),
    ),
    "vie_sociale": (
        ("A participé à l'atelier chant.", "Sortie au marché avec le groupe.", "Ne souhaite pas aller à l'activité."),
        (
            "Accompagnement et installation près de ses amis.",
            "Proposition d'une activité individuelle.",
            "Valorisation de sa participation.",
        ),
        ("Souriant(e) et détendu(e) au retour.", "A apprécié la sortie.", "Est resté(e) jusqu'à la fin."),
    ),
    "famille": (
        (
            "Visite de sa fille cet après-midi.",
            "Appel du fils inquiet de la perte de poids.",
            "Tristesse après le départ de son épouse.",
        ),
        (
            "Échange avec la famille sur le projet personnalisé.",
            "Information donnée, rendez-vous proposé avec l'IDE.",
            "Temps d'écoute et de réassurance.",
        ),
        ("Famille rassurée.", "Rendez-vous fixé la semaine prochaine.", "Apaisé(e) au dîner."),
    ),
    "educatif": (
        (
            "Difficultés de concentration en classe ce matin.",
            "A réussi à préparer son sac seul(e).",
            "Opposition aux consignes pendant l'atelier.",
        ),
        (
            "Séquences courtes, pictogrammes de la journée.",
            "Valorisation et renforcement positif.",
            "Reprise individuelle des consignes.",
        ),
        ("A terminé l'exercice.", "Autonomie acquise pour cette étape.", "Reste à retravailler demain."),
    ),
    "administratif": (
        ("Dossier MDPH à renouveler avant la fin du mois.", "Carte Vitale à mettre à jour."),
        ("Prise de contact avec l'assistante sociale.", "Courrier envoyé au représentant légal."),
        ("Dossier complet transmis.", "En attente de la réponse."),
    ),
}
NARRATIVES = (
    "Journée calme, a bien participé aux activités et pris ses repas en salle à manger.",
    "Humeur joyeuse ce matin, a beaucoup parlé de sa famille pendant la toilette.",
    "Se plaint d'être fatigué(e), a fait une sieste prolongée après le déjeuner.",
    "Visite du kinésithérapeute : séance de marche dans le couloir, bonne participation.",
    "Rendez-vous chez le dentiste reporté, la famille est prévenue.",
    "A refusé le goûter mais a bien bu dans l'après-midi.",
    "Soirée paisible devant la télévision avec les autres résidents.",
    "Inquiet(e) au sujet de son argent de poche, rassuré(e) par l'éducateur.",
    "Nouvelle paire de lunettes livrée, essayage fait, à réajuster chez l'opticien.",
    "Participation à l'atelier cuisine, a préparé la pâte à crêpes avec plaisir.",
    "Appel de la tutelle pour le renouvellement de la mesure de protection.",
    "Bonne nuit, réveil spontané à 7 h, petit déjeuner pris en chambre.",
)
UNIT_NOTES = (
    "Travaux dans la salle de bain commune : douches au 2e étage jusqu'à vendredi.",
    "Sortie au parc prévue demain après-midi, prévoir les fauteuils roulants.",
    "Épisode de gastro-entérite dans l'unité : précautions contact renforcées.",
    "Livraison de pharmacie arrivée, piluliers préparés pour la semaine.",
    "Fête d'anniversaire du mois au goûter, prévenir les familles.",
    "Ascenseur en panne, technicien appelé ; repas servis en étage.",
    "Nouveau protocole d'hydratation affiché dans l'office.",
    "Réunion d'équipe jeudi à 14 h : projets personnalisés à revoir.",
)
EVENT_PLACES = ("Chambre", "Salle de bain", "Couloir", "Salle à manger", "Jardin", "Salle d'activités")
SEIZURE_TYPES = ("Tonico-clonique généralisée", "Absence", "Partielle complexe", "Myoclonique")
