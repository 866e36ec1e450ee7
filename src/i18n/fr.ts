/** Le catalogue français : la langue par défaut. Chaque clé a son pendant dans en.ts. */
export const fr = {
  // --- aide -------------------------------------------------------------------------------
  'cmd.root':
    'Back office des correspondants dématérialisation DGFiP pour les comptes Chorus Pro (PIGP).',
  'cmd.init': 'Créer la base et son premier correspondant',
  'cmd.db': 'Entretien de la base : migrations, état, contrôle, sauvegarde',
  'cmd.db.migrate':
    'Appliquer les migrations en attente (crée la base SQLite si elle n’existe pas)',
  'cmd.db.status': 'Afficher l’emplacement, la version du schéma et les volumes de la base',
  'cmd.db.check': 'Contrôler l’intégrité de la base (code 1 si un problème est trouvé)',
  'cmd.db.backup': 'Sauvegarder la base dans un nouveau fichier SQLite (sauvegarde en ligne)',
  'cmd.account':
    'Comptes utilisateurs : création, suppression, désactivation, données personnelles',
  'cmd.account.create':
    'Créer un compte (ou un correspondant avec --correspondent --scope) et envoyer ses identifiants',
  'cmd.account.delete': 'Supprimer un compte (conservé, statut SUPPRIME, rattachements SUPPRIMEE)',
  'cmd.account.deactivate': 'Désactiver un compte',
  'cmd.account.reactivate': 'Réactiver un compte désactivé',
  'cmd.account.resendCredentials': 'Renvoyer le message d’identifiants au titulaire',
  'cmd.account.list': 'Lister les comptes du périmètre',
  'cmd.account.show': 'Afficher un compte et ses rattachements (par défaut : le vôtre)',
  'cmd.account.edit':
    'Modifier les données personnelles d’un compte (l’identifiant ne change jamais)',
  'cmd.account.complete':
    'Compléter son compte à la première connexion (les champs manquants sont demandés)',
  'cmd.audit': 'Journal des modifications, chaîné par empreintes',
  'cmd.audit.list': 'Lister les entrées du journal, les plus récentes d’abord',
  'cmd.audit.verify':
    'Vérifier la chaîne du journal (code 1 et première entrée en cause si elle est rompue)',
  'cmd.audit.head':
    'Afficher la tête du journal (n°, date, empreinte) : l’ancre à conserver hors de la base (--json)',
  'cmd.audit.export': 'Exporter tout le journal en JSON lines sur la sortie standard',
  'arg.login': 'identifiant de connexion (adresse e-mail)',
  'arg.loginOptional': 'identifiant de connexion (par défaut : le compte agissant)',
  'arg.backupFile': 'fichier de sauvegarde à créer (ne doit pas exister)',
  'opt.db':
    'base : fichier SQLite ou URL postgres:// (défaut : chorus-admin.sqlite du dossier de données)',
  'opt.as': 'compte agissant (identifiant de connexion)',
  'opt.format': 'format de sortie : table, json, csv ou xlsx (tableur)',
  'opt.wide': 'tableaux : toutes les colonnes, aucune valeur raccourcie',
  'opt.outputFile': 'fichier où écrire le classeur xlsx (créé, jamais écrasé)',
  'opt.json': 'sortie JSON (comme --format json)',
  'opt.lang': 'langue des messages : fr ou en',
  'opt.yes': 'répondre oui aux confirmations',
  'opt.quiet': 'n’afficher que les résultats et les erreurs',
  'opt.verbose': 'afficher les détails (et la pile d’une erreur interne)',
  'opt.version': 'afficher la version',
  'opt.help': 'afficher l’aide de la commande',
  'opt.email': 'adresse e-mail de contact',
  'opt.civilite': 'civilité : M. ou Mme',
  'opt.nom': 'nom',
  'opt.prenom': 'prénom',
  'opt.telephone': 'téléphone fixe (format français, normalisé)',
  'opt.mobile': 'téléphone mobile',
  'opt.adresse': 'adresse postale professionnelle',
  'opt.complement': 'complément d’adresse',
  'opt.codePostal': 'code postal',
  'opt.ville': 'ville',
  'opt.pays': 'pays (code ISO à deux lettres, FR par défaut)',
  'opt.langue': 'langue des notifications : fr ou en',
  'opt.notifFacturation': 'notifications de facturation : on ou off',
  'opt.notifActualite': 'notifications d’actualité : on ou off',
  'opt.correspondent': 'créer un correspondant dématérialisation',
  'opt.correspondentLogin': 'identifiant du premier correspondant',
  'opt.scope': 'périmètre : départements séparés par des virgules (33,40,2A,971) ou *',
  'opt.status': 'filtrer par statut',
  'opt.structure': 'filtrer par structure (identifiant ou TYPE:identifiant)',
  'opt.search': 'rechercher dans l’identifiant, le nom et le prénom',
  'opt.limit': 'nombre maximal de lignes (0 : toutes)',
  'opt.page': 'page à afficher (à partir de 1)',
  'opt.since': 'depuis cette date (JJ/MM/AAAA ou AAAA-MM-JJ)',
  'opt.auditActor': 'filtrer par auteur (identifiant)',
  'opt.auditTarget': 'filtrer par cible (account:login, ou le login seul)',
  'opt.auditAction': 'filtrer par action (account.create…)',
  'opt.auditAnchor':
    'fichier d’ancres : une ligne « audit head --json » par tête relevée, chacune doit être encore dans la chaîne',
  'help.usage': 'Utilisation :',
  'help.arguments': 'Arguments :',
  'help.options': 'Options :',
  'help.commands': 'Commandes :',
  'help.globalOptions': 'Options globales :',
  'help.choices': 'valeurs : {choices}',
  'help.default': 'défaut : {value}',
  'help.envVar': 'variable : {name}',
  'help.examples': 'Exemples :',
  'help.env':
    'Variables d’environnement : CHORUS_ADMIN_DB (--db), CHORUS_ADMIN_AS (--as), CHORUS_ADMIN_LANG (--lang), NO_COLOR.\nCodes de sortie : 0 succès, 1 lot partiellement rejeté, 2 usage, 3 introuvable, 4 interdit, 5 saisie invalide, 6 conflit, 7 base indisponible, 70 erreur interne.',

  // --- colonnes ---------------------------------------------------------------------------
  'field.location': 'Emplacement',
  'field.dialect': 'Moteur',
  'field.schema': 'Schéma',
  'field.current': 'Schéma',
  'field.applied': 'Migrations appliquées',
  'field.pending': 'Migrations en attente',
  'field.accounts': 'Comptes',
  'field.structures': 'Structures',
  'field.attachments': 'Rattachements',
  'field.files': 'Pièces jointes',
  'field.notifications': 'Notifications',
  'field.auditEntries': 'Entrées du journal',
  'field.sizeBytes': 'Taille (octets)',
  'field.ok': 'Intègre',
  'field.problems': 'Problèmes',
  'field.backup': 'Sauvegarde',
  'col.id': 'N°',
  'col.key': 'Champ',
  'col.value': 'Valeur',
  'col.login': 'Identifiant',
  'col.status': 'Statut',
  'col.kind': 'Type',
  'col.scope': 'Périmètre',
  'col.title': 'Civilité',
  'col.lastName': 'Nom',
  'col.firstName': 'Prénom',
  'col.email': 'Courriel',
  'col.phone': 'Téléphone',
  'col.mobile': 'Mobile',
  'col.address': 'Adresse',
  'col.addressComplement': 'Complément',
  'col.postalCode': 'Code postal',
  'col.city': 'Ville',
  'col.country': 'Pays',
  'col.language': 'Langue',
  'col.notifyBilling': 'Notif. facturation',
  'col.notifyNews': 'Notif. actualité',
  'col.source': 'Origine',
  'col.completedAt': 'Complété le',
  'col.createdAt': 'Créé le',
  'col.updatedAt': 'Modifié le',
  'col.structure': 'Structure',
  'col.companyName': 'Raison sociale',
  'col.role': 'Rôle',
  'col.dateStart': 'Début',
  'col.dateEnd': 'Fin',
  'col.seq': 'N°',
  'col.at': 'Date',
  'col.hash': 'Empreinte',
  'col.actor': 'Auteur',
  'col.action': 'Action',
  'col.target': 'Cible',
  'col.outcome': 'Résultat',
  'col.changes': 'Modifications',
  'col.runId': 'Synchronisation n°',

  // --- sorties ----------------------------------------------------------------------------
  'output.error': 'Erreur :',
  'output.warning': 'Attention :',
  'output.yes': 'oui',
  'output.no': 'non',
  'output.empty': 'Aucun résultat.',
  'output.emptyValue': '(vide)',
  'output.line': 'ligne {line}',
  'output.cancelled': 'Abandon : rien n’a été modifié.',
  'output.partialList': 'Affichés : {shown} sur {total} (page {page}) ; voir --limit et --page.',

  // --- erreurs générales ------------------------------------------------------------------
  'error.invalidInput': 'Saisie invalide : rien n’a été enregistré.',
  'error.interrupted': 'Interrompu : rien n’a été modifié.',
  'error.internal': 'Erreur interne : {message}',
  'error.internalHint': 'Relancez avec --verbose pour le détail, et signalez-le.',
  'error.path': 'Chemin {path} inutilisable : {reason}.',
  'error.path.ENOENT': 'il n’existe pas, ou son dossier non plus',
  'error.path.ENOTDIR': 'une partie du chemin n’est pas un dossier',
  'error.path.EISDIR': 'c’est un dossier',
  'error.path.ENAMETOOLONG': 'nom trop long',
  'error.path.ELOOP': 'trop de liens symboliques',
  'error.path.EACCES': 'accès refusé',
  'error.path.EPERM': 'opération non permise',
  'error.path.EROFS': 'système de fichiers en lecture seule',
  'error.path.EEXIST': 'il existe déjà (ou un lien symbolique de ce nom)',
  'usage.actorRequired': 'Indiquez le compte agissant avec --as LOGIN (ou CHORUS_ADMIN_AS).',
  'usage.confirmationNeeded':
    'Confirmation nécessaire : relancez avec --yes (pas de terminal pour la demander).',
  'usage.xlsxOnTerminal':
    'Un classeur xlsx ne s’affiche pas dans un terminal : indiquez -o FICHIER.xlsx ou redirigez la sortie.',
  'usage.missingValue': 'Valeur manquante : {option} (pas de terminal pour la demander).',
  'usage.seeHelp': 'Voir --help.',
  'usage.unknownOption': 'Option inconnue : {token}',
  'usage.unknownCommand': 'Commande inconnue : {token}',
  'usage.missingArgument': 'Argument manquant : {token}',
  'usage.optionMissingArgument': 'L’option {token} attend une valeur',
  'usage.missingMandatoryOption': 'Option obligatoire manquante : {token}',
  'usage.excessArguments': 'Trop d’arguments ({detail})',
  'usage.invalidArgument': 'Valeur refusée : {detail}',
  'usage.conflictingOption': 'Options incompatibles : {detail}',

  // --- validation -------------------------------------------------------------------------
  'validation.required': 'obligatoire',
  'validation.email': 'adresse e-mail invalide',
  'validation.name': 'lettres, espaces, tirets et apostrophes seulement',
  'validation.tooLong100': '100 caractères au plus',
  'validation.tooLong200': '200 caractères au plus',
  'validation.civilite': 'M. ou Mme',
  'validation.phone': 'numéro de téléphone invalide (ex. 05 59 27 85 80 ou +33 5 59 27 85 80)',
  'validation.postalCode': 'code postal invalide (5 chiffres en France)',
  'validation.country': 'code pays ISO à deux lettres (FR, BE…)',
  'validation.language': 'fr ou en',
  'validation.onOff': 'on ou off',
  'validation.date': 'date invalide ou inexistante (JJ/MM/AAAA ou AAAA-MM-JJ)',
  'validation.positiveInt': 'nombre entier positif attendu',
  'validation.tooLarge': 'nombre trop grand (2147483647 au plus)',
  'validation.storeUrl': 'adresse de base illisible (postgres://utilisateur@hôte:port/base)',
  'validation.scope': 'départements invalides : {values} (ex. 33,40,2A,971 ou *)',
  'validation.scopeWithoutCorrespondent': '--scope ne sert qu’avec --correspondent',

  // --- droits -----------------------------------------------------------------------------
  'rights.unknownActor': 'Compte agissant inconnu : {login}.',
  'rights.inactiveActor': 'Le compte agissant {login} n’est pas actif.',
  'rights.correspondentOnly': 'Action réservée aux correspondants dématérialisation.',
  'rights.scopeTooWide': 'Le périmètre demandé dépasse le vôtre.',
  'rights.outOfScope': 'Cible hors de votre périmètre.',
  'rights.holderOnly': 'Seul le titulaire du compte peut faire cela.',
  'rights.notYours': 'Vous ne pouvez agir que sur votre propre compte.',
  'rights.notManager': 'Il faut être gestionnaire principal de la structure, ou habilité.',
  'rights.principalOnly': 'Action réservée au gestionnaire principal de la structure.',
  'rights.notAttached':
    'Il faut être rattaché à la structure (rattachement validé, en cours de validité).',
  'rights.ownRequest': 'Seul le gestionnaire principal peut décider de sa propre demande.',

  // --- base -------------------------------------------------------------------------------
  'store.missing': 'Pas de base à {location} : créez-la avec « chorus-admin init ».',
  'store.notInitialised':
    'La base {location} n’est pas initialisée : lancez « chorus-admin init » ou « chorus-admin db migrate ».',
  'store.outdated':
    'La base {location} attend des migrations ({pending}) : lancez « chorus-admin db migrate ».',
  'store.newer':
    'La base a un schéma plus récent que ce programme ({unknown}) : mettez chorus-admin à jour. Rien n’a été modifié.',
  'store.migrationFailed': 'Échec de la migration : {detail}',
  'store.locked':
    'Base verrouillée par un autre traitement au-delà du délai d’attente ; réessayez.',
  'store.cannotOpen': 'Impossible d’ouvrir la base {location}.',
  'store.concurrentChange':
    'Une autre commande a modifié les mêmes données au même moment : rien n’a été modifié ; relancez la commande.',
  'store.orphaned':
    'Le programme qui a lancé ce traitement s’est arrêté : rien n’a été enregistré.',
  'init.alreadyInitialised': 'La base {location} est déjà initialisée.',
  'init.done': 'Base créée ({location}) ; premier correspondant : {login}.',
  'db.migrated': 'Migrations appliquées : {applied}.',
  'db.upToDate': 'Schéma à jour ({schema}).',
  'db.pending': 'Migrations en attente : {pending}.',
  'db.checkOk': 'Base intègre.',
  'db.checkFailed': '{count} problème(s) trouvé(s) dans la base.',
  'check.integrity': 'Intégrité de la base : {detail}',
  'check.pendingMigrations':
    'Migrations en attente : {pending} (les autres vérifications attendent « db migrate »).',
  'check.fileSize':
    'Pièce jointe n° {fileId} ({name}) : {actual} octets relus au lieu de {expected}, son contenu est endommagé.',
  'check.fileHash':
    'Pièce jointe n° {fileId} ({name}) : son contenu ne correspond plus à son empreinte SHA-256, il est endommagé.',
  'check.auditChain': '{detail}',
  'check.severalGps':
    'Structure {structure} : {count} gestionnaires principaux en vigueur au lieu d’un seul.',
  'check.gpOnUnusableAccount':
    'Structure {structure} : son gestionnaire principal {login} a un compte {status}.',
  'check.deletedAccountAttached':
    'Compte supprimé {login} : son rattachement n° {attachmentId} est encore {status}.',
  'check.decisionMismatch':
    'Demande {table} n° {id} ({status}) : sa décision (décideur, date) ne correspond pas à son statut.',
  'db.backedUp': 'Sauvegarde écrite : {file}.',
  'backup.exists': 'Le fichier {file} existe déjà : choisissez un autre nom.',

  // --- comptes ----------------------------------------------------------------------------
  'account.notFound': 'Compte introuvable : {login}.',
  'account.exists': 'Le compte {login} existe déjà.',
  'account.existsDeleted':
    'Le compte {login} existe déjà (supprimé) : un identifiant n’est jamais réutilisé.',
  'account.isDeleted': 'Le compte {login} est supprimé.',
  'account.notActive': 'Le compte {login} n’est pas actif ({status}).',
  'account.notYourself': 'Vous ne pouvez pas changer le statut de votre propre compte.',
  'account.cannot.deactivate': 'Le compte {login} ne peut pas être désactivé : il est {status}.',
  'account.cannot.reactivate': 'Le compte {login} ne peut pas être réactivé : il est {status}.',
  'account.cannot.delete': 'Le compte {login} est déjà supprimé.',
  'account.created': 'Compte {login} créé ; message d’identifiants mis en file d’envoi.',
  'account.deactivated': 'Compte {login} désactivé.',
  'account.reactivated': 'Compte {login} réactivé.',
  'account.deleted': 'Compte {login} supprimé.',
  'account.confirmDelete': 'Supprimer le compte {login} et clore tous ses rattachements ?',
  'account.credentialsQueued': 'Identifiants de {login} remis en file d’envoi pour {email}.',
  'account.edited': 'Compte {login} modifié : {fields}.',
  'account.unchanged':
    'Compte {login} inchangé : les valeurs données sont celles déjà enregistrées.',
  'account.nothingToEdit': 'aucune modification demandée (voir --help)',
  'account.completed': 'Compte {login} complété.',
  'account.alreadyCompleted': 'Le compte {login} est déjà complété : utilisez « account edit ».',

  // --- structures -------------------------------------------------------------------------
  'structure.notFound': 'Structure introuvable : {ref}.',
  'structure.ambiguous':
    'Plusieurs structures ont l’identifiant {ref} : précisez TYPE:identifiant.',

  // --- annuaire ---------------------------------------------------------------------------
  'cmd.structure':
    'Annuaire des structures publiques : import, recherche, fiche, utilisateurs, services',
  'cmd.structure.import':
    'Importer l’export de l’annuaire des structures (SPEC 8.2) ; un nouvel import met à jour',
  'cmd.structure.importServices': 'Importer les services des structures (SPEC 8.3)',
  'cmd.structure.search': 'Rechercher des structures (sans accents ni casse, classées, paginées)',
  'cmd.structure.show':
    'Afficher une structure : adresse, indicateurs, services, gestionnaire principal, comptes rattachés',
  'cmd.structure.users':
    'Lister les utilisateurs rattachés à une structure (exportable avec --format csv)',
  'cmd.structure.service': 'Services d’une structure, par ses gestionnaires',
  'cmd.structure.service.add': 'Ajouter un service à la structure',
  'cmd.structure.service.edit': 'Modifier le libellé ou les dates d’un service',
  'cmd.structure.service.deactivate': 'Désactiver un service',
  'arg.csvFile': 'fichier CSV à importer',
  'arg.searchText': 'texte libre : raison sociale, identifiant, libellé de service',
  'arg.structure': 'structure : identifiant, ou TYPE:identifiant',
  'arg.serviceCode': 'code du service',
  'opt.encoding': 'encodage du fichier (auto : UTF-8 si valide, sinon Windows-1252)',
  'opt.rejects': 'écrire les lignes rejetées (avec LIGNE et ERREURS) dans ce fichier CSV',
  'opt.identifiant': 'identifiant de la structure (début de l’identifiant)',
  'opt.idType': 'type d’identifiant',
  'opt.raisonSociale': 'mots de la raison sociale',
  'opt.codePostalSearch': 'code postal (ou son début : 64)',
  'opt.villeSearch': 'mots du nom de la ville',
  'opt.nomSearch': 'nom (structures hors SIRET : particuliers…)',
  'opt.prenomSearch': 'prénom (structures hors SIRET)',
  'opt.attachmentStatus':
    'statuts de rattachement à inclure (défaut : VALIDEE, EN_COURS_DE_VALIDATION, DESACTIVEE)',
  'opt.libelle': 'libellé du service',
  'opt.debut': 'date de début (JJ/MM/AAAA ou AAAA-MM-JJ)',
  'opt.fin': 'date de fin (JJ/MM/AAAA ou AAAA-MM-JJ)',
  'opt.debutClear': 'date de début ("" pour l’effacer)',
  'opt.finClear': 'date de fin ("" pour l’effacer)',
  'col.file': 'Fichier',
  'col.encoding': 'Encodage',
  'col.rows': 'Lignes',
  'col.created': 'Créées',
  'col.updated': 'Mises à jour',
  'col.unchanged': 'Inchangées',
  'col.rejected': 'Rejetées',
  'col.outOfScope': 'Hors périmètre',
  'col.padded': 'SIRET complétés',
  'col.gpKept': 'GP conservés',
  'col.sha256': 'SHA-256',
  'col.idType': 'Type d’identifiant',
  'col.identifier': 'Identifiant',
  'col.active': 'Active',
  'col.addressComplement1': 'Complément 1',
  'col.addressComplement2': 'Complément 2',
  'col.departement': 'Département',
  'col.countryLabel': 'Libellé pays',
  'col.ediSender': 'Émetteur EDI',
  'col.ediReceiver': 'Récepteur EDI',
  'col.managesPaymentStatus': 'Gestion statut mise en paiement',
  'col.managesCommitment': 'Gestion engagement',
  'col.managesService': 'Gestion service',
  'col.managesServiceCommitment': 'Gestion service ou engagement',
  'col.isMoa': 'Maîtrise d’ouvrage',
  'col.isMoaOnly': 'Maîtrise d’ouvrage uniquement',
  'col.principalManager': 'Gestionnaire principal',
  'col.attachmentCounts': 'Rattachements',
  'col.serviceCode': 'Code service',
  'col.serviceLabel': 'Libellé',
  'col.label': 'Libellé',
  'col.services': 'Services',
  'col.accountStatus': 'Statut du compte',
  'col.attachmentStatus': 'Statut du rattachement',
  'csv.unusable': 'Fichier {file} inutilisable : rien n’a été enregistré.',
  'csv.unreadable': 'lecture impossible ({detail})',
  'csv.empty': 'le fichier est vide',
  'csv.noHeader': 'pas de ligne d’en-tête',
  'csv.malformed': 'CSV mal formé ({detail})',
  'csv.missingColumn': 'colonne obligatoire absente de l’en-tête',
  'csv.duplicateColumn': 'colonne présente deux fois dans l’en-tête',
  'csv.notUtf8':
    'le fichier n’est pas en UTF-8 : relancez sans --encoding (détection automatique) ou avec --encoding cp1252',
  'csv.rejectsDir': 'le dossier {dir} n’existe pas',
  'csv.rejectsExists':
    'Le rapport de rejets {file} existe déjà : un rapport ne remplace jamais un fichier. Rien n’a été modifié ; choisissez un autre nom.',
  'csv.rejectsIsInput':
    'Le rapport de rejets {file} est le fichier d’entrée lui-même. Rien n’a été modifié ; choisissez un autre nom.',
  'csv.rejectsUnwritable': 'le rapport de rejets {file} ne peut pas être écrit ({detail})',
  'identifier.required': 'obligatoire',
  'identifier.siret': 'SIRET invalide « {value} » (14 chiffres, clé de Luhn)',
  'identifier.ridet': 'RIDET invalide « {value} » (10 chiffres)',
  'identifier.tahiti': 'numéro TAHITI invalide « {value} » (6 + 3 chiffres : 003970-001)',
  'identifier.free': 'identifiant invalide « {value} » (1 à 80 caractères imprimables)',
  'row.issue': '{column} : {message}',
  'row.required': 'obligatoire',
  'row.tooLong': '{max} caractères au plus',
  'row.idType': 'type d’identifiant inconnu « {value} »',
  'row.flag': 'valeur « {value} » : true/false, 1/0 ou oui/non attendu',
  'row.email': 'adresse e-mail invalide « {value} »',
  'row.postalCode': 'code postal invalide « {value} »',
  'row.date': 'date invalide ou inexistante « {value} » (JJ/MM/AAAA ou AAAA-MM-JJ)',
  'row.dateOrder': 'la date de fin ({end}) précède la date de début ({start})',
  'row.serviceCode': 'code de service invalide (1 à 100 caractères imprimables)',
  'row.duplicate': 'déjà présente dans le fichier, ligne {line}',
  'row.unknownStructure': 'structure inconnue {ref} : importez d’abord l’annuaire',
  'import.progress': 'Import',
  'import.done': 'Import de {file} terminé : {rows} lignes.',
  'import.rejectedLine': 'ligne {line} : {errors}',
  'import.moreRejected': '… et {count} autres lignes rejetées (voir --rejects).',
  'import.partial':
    '{rejected} ligne(s) sur {rows} rejetée(s) ; les autres sont importées. Détail avec --rejects FICHIER.csv.',
  'import.partialWithFile':
    '{rejected} ligne(s) sur {rows} rejetée(s), écrites dans {file} ; les autres sont importées.',
  'import.unknownColumn': 'colonne inconnue ignorée : {column}',
  'structure.searchNeedsCriteria':
    'donnez un texte ou au moins un filtre (--identifiant, --type, --raison-sociale, --code-postal, --ville, --nom, --prenom)',
  'service.notFound': 'Service {code} introuvable dans la structure {structure}.',
  'service.exists': 'Le service {code} existe déjà dans la structure {structure}.',
  'service.alreadyInactive': 'Le service {code} de la structure {structure} est déjà désactivé.',
  'service.added': 'Service {code} ajouté à la structure {structure}.',
  'service.edited': 'Service {code} modifié : {fields}.',
  'service.unchanged':
    'Service {code} inchangé : les valeurs données sont celles déjà enregistrées.',
  'service.deactivated': 'Service {code} désactivé.',
  'service.dateOrder': 'la date de fin ({end}) précède la date de début ({start})',
  'service.nothingToEdit': 'aucune modification demandée (--libelle, --debut, --fin)',

  // --- sync
  'cmd.sync': 'Synchronisations : l’export MADRHAS',
  'cmd.sync.madrhas':
    'Synchroniser les comptes et leurs rattachements depuis un export MADRHAS (SPEC 8.1)',
  'opt.dryRun': 'calculer et afficher le bilan sans rien enregistrer',
  'opt.mode':
    'full : désactive les comptes MADRHAS du périmètre absents du fichier ; delta : ne désactive jamais',
  'opt.maxDeactivations':
    'refuser un passage qui désactiverait plus de N comptes, ou de P % (ex. 50 ou 10%)',
  'opt.strict': 'ne rien appliquer si une ligne est rejetée (code 5)',
  'col.mode': 'Mode',
  'col.dryRun': 'Simulation',
  'col.accounts': 'Comptes du fichier',
  'col.kept': 'Données conservées',
  'col.reactivated': 'Réactivés',
  'col.deactivated': 'Désactivés',
  'col.attachmentsAdded': 'Rattachements ajoutés',
  'col.attachmentsChanged': 'Rattachements modifiés',
  'col.attachmentsEnded': 'Rattachements clos',
  'row.civilite': 'civilité « {value} » : M. ou Mme',
  'row.name': 'nom invalide « {value} » (lettres, espaces, tirets, apostrophes)',
  'row.phone': 'téléphone invalide « {value} »',
  'row.role':
    'rôle inconnu « {value} » (GESTIONNAIRE_PRINCIPAL, GESTIONNAIRE_SECONDAIRE, UTILISATEUR)',
  'row.accountStatus': 'statut « {value} » : ACTIF ou INACTIF',
  'sync.structureInactive': 'structure {ref} inactive',
  'sync.structureOutOfScope': 'structure {ref} hors de votre périmètre (département {departement})',
  'sync.accountOutOfScope':
    'compte hors de votre périmètre (départements {scope}) : un fichier n’atteint pas les comptes d’un autre département',
  'sync.serviceUnknown': 'service {code} inconnu dans la structure {ref}',
  'sync.serviceInactive': 'service {code} inactif dans la structure {ref}',
  'sync.personalDisagree':
    'IDENTIFIANT_CONNEXION : les données personnelles ou le statut de ce compte diffèrent d’une ligne à l’autre',
  'sync.attachmentDisagree':
    'ROLE : rôle ou dates différents pour ce compte et cette structure sur d’autres lignes',
  'sync.accountDeleted': 'IDENTIFIANT_CONNEXION : compte supprimé, identifiant jamais réutilisé',
  'sync.isCorrespondent': 'IDENTIFIANT_CONNEXION : compte de correspondant, hors synchronisation',
  'sync.severalGp':
    'ROLE : plusieurs gestionnaires principaux pour cette structure dans le fichier',
  'sync.gpInStore': 'ROLE : la structure a déjà un gestionnaire principal ({login})',
  'sync.strict': '{count} ligne(s) rejetée(s) avec --strict : rien n’a été appliqué.',
  'sync.strictRejected': '{count} ligne(s) rejetée(s)',
  'sync.tooManyDeactivations':
    'Passage refusé : il désactiverait {count} comptes sur {total} (limite {limit}, --max-deactivations {max}). Rien n’a été modifié ; vérifiez que l’export est complet.',
  'sync.maxDeactivationsFormat': '« {value} » : un nombre (50) ou un pourcentage (10%) attendu',
  'sync.done': 'Synchronisation de {file} terminée : {accounts} comptes, {rows} lignes.',
  'sync.dryRunDone': 'Simulation : rien n’a été enregistré.',
  'sync.gpKept':
    '{count} gestionnaire(s) principal(aux) conservé(s) : l’export les retirerait et leur structure n’aurait plus de GP. Transférez d’abord le rôle (attachment detach --new-manager), puis relancez.',

  // --- pièces jointes ---------------------------------------------------------------------
  'cmd.file': 'Pièces jointes de votre compte (carte grise, brochure…), stockées dans la base',
  'cmd.file.add':
    'Ajouter une pièce jointe (moins de 10 Mo ; nom de 50 caractères au plus, extension autorisée)',
  'cmd.file.list':
    'Lister les pièces jointes (les vôtres, ou d’un compte de votre périmètre avec --account)',
  'cmd.file.show': 'Afficher les métadonnées d’une pièce jointe',
  'cmd.file.download':
    'Télécharger des pièces jointes : octets vérifiés par leur SHA-256 ; -o - pour la sortie standard',
  'cmd.file.remove': 'Supprimer des pièces jointes (confirmation, ou --yes)',
  'arg.filePath': 'fichier à ajouter',
  'arg.fileId': 'numéro de la pièce jointe',
  'arg.fileIds': 'numéros des pièces jointes (sur un terminal, à cocher s’ils sont omis)',
  'opt.designation': 'désignation : 1 à 100 caractères',
  'opt.fileType':
    'type : JUSTIFICATIF, CARTE_GRISE, BROCHURE, PRESENTATION, ATTESTATION, RIB ou AUTRE',
  'opt.fileTypeFilter': 'filtrer par type',
  'opt.designationFilter': 'filtrer par mots de la désignation (sans accents ni casse)',
  'opt.fileAccount': 'les pièces jointes de ce compte (correspondants, dans leur périmètre)',
  'opt.output':
    'destination : un fichier, un dossier (plusieurs pièces), ou - pour la sortie standard (défaut : le dossier courant)',
  'col.designation': 'Désignation',
  'col.fileType': 'Type',
  'col.fileName': 'Nom',
  'col.sizeBytes': 'Taille (octets)',
  'col.mediaType': 'Type de média',
  'col.account': 'Compte',
  'col.path': 'Écrit dans',
  'file.notFound': 'Pièce jointe introuvable : n° {id}.',
  'file.refused': 'Fichier {file} refusé : rien n’a été enregistré.',
  'file.unreadable': 'lecture impossible ({detail})',
  'file.notRegular': 'ce n’est pas un fichier ordinaire',
  'file.empty': 'le fichier est vide',
  'file.tooLarge': 'le fichier fait {size} octets : il doit faire moins de 10 Mo ({max} octets)',
  'file.nameControl':
    'le nom contient un caractère invisible ({char}) : caractères de contrôle et bidirectionnels interdits',
  'file.nameInvalid': 'nom de fichier invalide (séparateurs)',
  'file.nameReserved':
    '{name} : nom réservé par Windows à un périphérique (CON, PRN, AUX, NUL, COM1…COM9, LPT1…LPT9)',
  'file.nameTooLong': 'nom trop long : {length} caractères, {max} au plus extension comprise',
  'file.noExtension': 'le nom n’a pas d’extension (ex. carte-grise.pdf)',
  'file.extensionRefused': 'extension .{ext} non autorisée ; autorisées : {allowed}',
  'file.executable': 'le contenu est un programme ({detected}), pas un fichier .{ext}',
  'file.contentMismatch': 'le contenu est un fichier {detected}, pas un fichier .{ext}',
  'file.contentUnrecognised': 'le contenu n’est pas celui d’un fichier .{ext}',
  'file.notText': 'un fichier .{ext} doit être du texte : le contenu est binaire',
  'file.changed': 'le fichier a changé pendant sa lecture',
  'file.designationLength': '100 caractères au plus',
  'file.designationControl': 'caractères de contrôle interdits',
  'file.typeUnknown':
    'type inconnu (JUSTIFICATIF, CARTE_GRISE, BROCHURE, PRESENTATION, ATTESTATION, RIB, AUTRE)',
  'file.added': 'Pièce jointe n° {id} ajoutée : {name} ({size} octets).',
  'file.removed': '{count} pièce(s) jointe(s) supprimée(s) : {names}.',
  'file.downloaded': '{count} pièce(s) jointe(s) écrite(s), octets vérifiés (SHA-256).',
  'file.confirmRemove': 'Supprimer définitivement {count} pièce(s) jointe(s) : {names} ?',
  'file.askDesignation': 'Désignation de la pièce jointe',
  'file.askType': 'Type de pièce jointe',
  'file.askIds': 'Pièces jointes (espace pour cocher, entrée pour valider)',
  'file.noneToChoose': 'Vous n’avez aucune pièce jointe.',
  'file.corrupt':
    'Les octets stockés de la pièce jointe n° {id} ne correspondent plus à son SHA-256 : la base est endommagée (voir « db check », ou restaurez une sauvegarde). Aucun fichier n’a été laissé.',
  'file.outputExists': 'Le fichier {path} existe déjà : choisissez un autre nom ou un dossier.',
  'file.outputNotDir':
    '{path} n’est pas un dossier : plusieurs pièces jointes s’écrivent dans un dossier',
  'file.outputUnwritable': 'écriture impossible dans {path} ({detail})',
  'file.stdoutOne': '-o - (sortie standard) ne prend qu’une pièce jointe',

  // --- habilitations et abonnements aux espaces (issue 5 B) -----------------------------------
  'cmd.habilitation':
    'Habilitations : droits de gestion sur une structure ou un service (demande, attribution, décision)',
  'cmd.habilitation.list':
    'Lister vos habilitations, celles d’un compte (--account) ou d’une structure (--structure)',
  'cmd.habilitation.request':
    'Demander une habilitation sur une structure à laquelle vous êtes rattaché (en attente de décision)',
  'cmd.habilitation.grant':
    'Attribuer une habilitation à un compte rattaché (gestionnaire principal, immédiat)',
  'cmd.habilitation.edit':
    'Modifier le profil ou le service d’une habilitation (gestionnaire principal)',
  'cmd.habilitation.approve':
    'Valider des demandes d’habilitation (gestionnaire principal ou VALIDATION_ABONNEMENTS)',
  'cmd.habilitation.reject': 'Refuser des demandes d’habilitation, avec un motif',
  'cmd.habilitation.remove':
    'Supprimer des habilitations (les vôtres ; celles des autres : gestionnaire principal)',
  'cmd.habilitation.removeAll':
    'Supprimer toutes les habilitations d’un compte sur une structure ou un service',
  'cmd.subscription':
    'Abonnements aux espaces de Chorus Pro : demandes, décisions, espaces par défaut',
  'cmd.subscription.list':
    'Lister vos abonnements (espaces par défaut compris), ou ceux d’une structure (--structure)',
  'cmd.subscription.request':
    'Demander l’abonnement à un espace d’une structure (en attente de décision)',
  'cmd.subscription.approve':
    'Valider des demandes d’abonnement (gestionnaire principal ou VALIDATION_ABONNEMENTS)',
  'cmd.subscription.reject': 'Refuser des demandes d’abonnement',
  'cmd.subscription.remove': 'Supprimer des abonnements (cochés dans une liste sur un terminal)',
  'opt.subscriptionStructure':
    'les abonnements de cette structure, demandes en attente comprises (décideurs, correspondants)',
  'opt.habilitationAccount': 'les habilitations de ce compte',
  'opt.habilitationStructure': 'les habilitations sur cette structure (décideurs, correspondants)',
  'opt.removeAllAccount':
    'le compte dont retirer les habilitations (gestionnaire principal) ; par défaut le vôtre',
  'opt.serviceOne': 'code du service (sans : toute la structure)',
  'opt.serviceEdit': 'nouveau code de service ("" : toute la structure)',
  'opt.subscriptionMode': 'CONSULTATION_UNIQUEMENT ou MODIFICATION (par défaut MODIFICATION)',
  'opt.profile':
    'VALIDATION_RATTACHEMENTS, VALIDATION_ABONNEMENTS, CONSULTATION_UTILISATEURS ou MODIFICATION_STRUCTURE',
  'opt.reason': 'motif de la décision (envoyé au demandeur)',
  'arg.space':
    'espace : MON_COMPTE, FACTURES_EMISES, FACTURES_RECUES, ACTIVITES_GESTIONNAIRE, FACTURES_A_VALIDER, FACTURES_TRAVAUX, SOLLICITATIONS_EMISES, SOLLICITATIONS_RECUES',
  'arg.requestIds': 'numéros des demandes',
  'arg.requestId': 'numéro de l’habilitation',
  'col.service': 'Service',
  'col.space': 'Espace',
  'col.default': 'Par défaut',
  'col.profile': 'Profil',
  'col.requestedAt': 'Demandé le',
  'col.decidedAt': 'Décidé le',
  'col.decidedBy': 'Décidé par',
  'col.exitCode': 'Code',
  'col.message': 'Message',
  'validation.space':
    'espace inconnu (MON_COMPTE, FACTURES_EMISES, FACTURES_RECUES, ACTIVITES_GESTIONNAIRE, FACTURES_A_VALIDER, FACTURES_TRAVAUX, SOLLICITATIONS_EMISES, SOLLICITATIONS_RECUES)',
  'validation.mode': 'CONSULTATION_UNIQUEMENT ou MODIFICATION',
  'validation.profile':
    'profil inconnu (VALIDATION_RATTACHEMENTS, VALIDATION_ABONNEMENTS, CONSULTATION_UTILISATEURS, MODIFICATION_STRUCTURE)',
  'subscription.requested':
    'Demande d’abonnement n° {id} à l’espace {space} de {structure} enregistrée, en attente de décision.',
  'subscription.askIds': 'Abonnements à supprimer (espace pour cocher, entrée pour valider)',
  'subscription.defaultSpace':
    'Vous avez déjà l’espace {space} sur {place} : il vient avec votre rattachement.',
  'subscription.exists':
    'L’espace {space} sur {place} est déjà demandé ou accordé : demande n° {id}, {status}.',
  'subscription.notFound': 'Abonnement n° {id} introuvable.',
  'habilitation.requested':
    'Demande d’habilitation n° {id} ({profile}) sur {structure} enregistrée, en attente de décision.',
  'habilitation.granted': 'Habilitation n° {id} ({profile}) accordée à {login}.',
  'habilitation.edited': 'Habilitation n° {id} modifiée : {fields}.',
  'habilitation.unchanged':
    'Habilitation n° {id} inchangée : les valeurs données sont celles déjà enregistrées.',
  'habilitation.nothingToEdit': 'aucune modification demandée (--profile, --service)',
  'habilitation.askIds': 'Habilitations à supprimer (espace pour cocher, entrée pour valider)',
  'habilitation.removedAll': '{count} habilitation(s) supprimée(s).',
  'habilitation.notFound': 'Habilitation n° {id} introuvable.',
  'habilitation.implicit':
    '{login} est gestionnaire principal de {structure} : il détient déjà toutes les habilitations.',
  'habilitation.exists': '{login} a déjà l’habilitation {profile} sur {place} : n° {id}, {status}.',
  'habilitation.notAttached':
    '{login} n’est pas rattaché à {structure} (rattachement validé et en cours) : pas d’habilitation possible.',
  'request.approved': '{count} demande(s) validée(s).',
  'request.rejected': '{count} demande(s) refusée(s).',
  'request.removed': '{count} suppression(s) faite(s).',
  'request.noneToChoose': 'Rien à supprimer.',
  'request.alreadyDecided': 'La demande n° {id} est déjà décidée ({status}).',
  'request.alreadyClosed': 'N° {id} : déjà {status}, rien à supprimer ou modifier.',
  'bulk.partial': '{failed} sur {count} n’ont pas abouti (voir chaque ligne).',
  'mail.subscriptionRequested.subject': 'Chorus Pro : demande d’abonnement à l’espace {space}',
  'mail.subscriptionRequested.body':
    'Bonjour {firstName} {lastName},\n\n{requester} demande l’abonnement à l’espace {space} ({mode}) de {companyName} ({place}).\n\nDemande n° {id} : validez-la ou refusez-la avec « chorus-admin subscription approve {id} » ou « reject {id} ».\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.subscriptionApproved.subject': 'Chorus Pro : abonnement à l’espace {space} accordé',
  'mail.subscriptionApproved.body':
    'Bonjour {firstName} {lastName},\n\nVotre demande n° {id} d’abonnement à l’espace {space} ({mode}) de {companyName} ({place}), a été validée.\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.subscriptionRejected.subject': 'Chorus Pro : abonnement à l’espace {space} refusé',
  'mail.subscriptionRejected.body':
    'Bonjour {firstName} {lastName},\n\nVotre demande n° {id} d’abonnement à l’espace {space} de {companyName} ({place}), a été refusée.\nMotif : {reason}\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.habilitationRequested.subject': 'Chorus Pro : demande d’habilitation {profile}',
  'mail.habilitationRequested.body':
    'Bonjour {firstName} {lastName},\n\n{requester} demande l’habilitation {profile} sur {companyName} ({place}).\n\nDemande n° {id} : validez-la ou refusez-la avec « chorus-admin habilitation approve {id} » ou « reject {id} --reason … ».\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.habilitationApproved.subject': 'Chorus Pro : habilitation {profile} accordée',
  'mail.habilitationApproved.body':
    'Bonjour {firstName} {lastName},\n\nL’habilitation {profile} sur {companyName} ({place}), vous est accordée (n° {id}).\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.habilitationRejected.subject': 'Chorus Pro : habilitation {profile} refusée',
  'mail.habilitationRejected.body':
    'Bonjour {firstName} {lastName},\n\nVotre demande n° {id} d’habilitation {profile} sur {companyName} ({place}), a été refusée.\nMotif : {reason}\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  // --- fin de l’issue 5 B

  // --- journal ----------------------------------------------------------------------------
  'audit.intact': 'Journal intègre : {entries} entrées ; tête n° {seq}, empreinte {hash}.',
  'audit.broken.altered': 'Journal rompu : l’entrée n° {seq} a été modifiée.',
  'audit.broken.removed': 'Journal rompu : l’entrée n° {seq} a été supprimée.',
  'audit.broken.inserted': 'Journal rompu : une entrée a été insérée en n° {seq}.',
  'audit.broken.backwards':
    'Journal rompu : l’entrée n° {seq} est datée d’avant la précédente (le temps ne recule pas dans le journal).',
  'audit.broken.noHead': 'Journal rompu : la tête conservée à côté du journal a été supprimée.',
  'audit.broken.empty':
    'Journal rompu : la base contient des comptes mais aucune entrée de journal (il a été vidé).',
  'audit.headMissing':
    'La tête du journal a disparu de la base : la base est endommagée (voir « audit verify », ou restaurez une sauvegarde).',
  'audit.anchor.changed':
    'Ancre ligne {line} : l’entrée n° {seq} n’est plus celle relevée (empreinte différente), le journal a été réécrit.',
  'audit.anchor.missing':
    'Ancre ligne {line} : le journal ne contient plus l’entrée n° {seq}, il a été tronqué.',
  'audit.anchor.broken': 'Journal rompu : {count} ancre(s) ne sont plus dans la chaîne.',
  'audit.anchor.invalid': 'Fichier d’ancres {file} invalide : rien n’a été vérifié.',
  'audit.anchor.notJson': 'ligne illisible (une ligne « audit head --json » attendue)',
  'audit.anchor.notHead':
    'ce n’est pas une tête du journal ({"seq": N, "hash": "…", "at": "…"} attendu)',
  'audit.exported': '{count} entrées exportées.',

  // --- rattachements et notifications (issue 5 A) ------------------------------------------
  'cmd.attachment':
    'Rattachements : demandes, décisions, ajout par un gestionnaire, détachement, transfert du GP',
  'cmd.attachment.list': 'Lister ses rattachements (ou ceux d’un compte avec --account)',
  'cmd.attachment.request':
    'Demander un rattachement à une structure (ou à certains de ses services)',
  'cmd.attachment.pending': 'Lister les demandes en attente de décision',
  'cmd.attachment.approve': 'Valider une ou plusieurs demandes de rattachement',
  'cmd.attachment.reject': 'Refuser une ou plusieurs demandes de rattachement (motif obligatoire)',
  'cmd.attachment.add': 'Rattacher un utilisateur à l’initiative du gestionnaire',
  'cmd.attachment.detach':
    'Se détacher d’une structure ou de certains services (un GP nomme son successeur)',
  'cmd.notification': 'Notifications : file d’envoi, export .eml, synthèse hebdomadaire',
  'cmd.notification.list':
    'Lister les messages (correspondants : ceux du périmètre ; sinon les siens)',
  'cmd.notification.export':
    'Écrire chaque message en attente en fichier .eml et le marquer envoyé',
  'cmd.notification.digest':
    'Mettre en file la synthèse hebdomadaire des mouvements de chaque structure pour ses gestionnaires',
  'arg.attachmentIds': 'numéros des demandes',
  'opt.attachmentAccount': 'les rattachements de ce compte',
  'opt.service': 'code de service (répétable ; aucun : toute la structure)',
  'opt.comment': 'commentaire de la demande (obligatoire)',
  'opt.from': 'début de validité (JJ/MM/AAAA ou AAAA-MM-JJ)',
  'opt.until': 'fin de validité (JJ/MM/AAAA ou AAAA-MM-JJ)',
  'opt.role': 'rôle du rattachement',
  'opt.newManager': 'successeur du gestionnaire principal (compte actif)',
  'opt.pending': 'seulement les messages non envoyés',
  'opt.toDir': 'dossier où écrire les fichiers .eml (créé s’il manque)',
  'opt.week': 'semaine ISO AAAA-Www (défaut : la dernière semaine complète)',
  'col.inEffect': 'En vigueur',
  'col.comment': 'Commentaire',
  'col.refusalReason': 'Motif de refus',
  'col.ok': 'Réussi',
  'col.to': 'Destinataire',
  'col.event': 'Événement',
  'col.subject': 'Objet',
  'col.sentAt': 'Envoyé le',
  'col.week': 'Semaine',
  'col.structures': 'Structures',
  'col.queued': 'Messages mis en file',
  'col.alreadyQueued': 'Déjà en file',
  'attachment.askComment': 'Commentaire de la demande',
  'attachment.askReason': 'Motif du refus',
  'attachment.notFound': 'Demande de rattachement n° {id} introuvable.',
  'attachment.requested':
    'Demande de rattachement n° {id} à {structure} envoyée aux gestionnaires.',
  'attachment.approved': '{count} demande(s) validée(s).',
  'attachment.rejected': '{count} demande(s) refusée(s).',
  'attachment.decidedPartly': '{failed} demande(s) sur {total} n’ont pas pu être traitées.',
  'attachment.added': 'Rattachement n° {id} de {login} à {structure} créé.',
  'attachment.detached': 'Vous êtes détaché de {structure}.',
  'attachment.detachedServices': 'Vous êtes détaché des services {services} de {structure}.',
  'attachment.transferred':
    'Le rôle de gestionnaire principal de {structure} est passé à {login} ; vous restez rattaché comme utilisateur.',
  'attachment.alreadyDecided': 'La demande n° {id} est déjà traitée (statut {status}).',
  'attachment.exists': '{login} a déjà un rattachement en cours ou validé à {structure}.',
  'attachment.structureInactive': 'La structure {structure} n’est pas active.',
  'attachment.serviceInactive': 'Le service {code} de {structure} n’est pas actif.',
  'attachment.accountInactive': 'Le compte {login} n’est pas actif (statut {status}).',
  'attachment.gpExists':
    'La structure {structure} a déjà un gestionnaire principal : il transmet son rôle avec attachment detach --new-manager.',
  'attachment.dateOrder': 'La fin de validité ({until}) précède le début ({from}).',
  'attachment.notAttached': '{login} n’est pas rattaché à {structure}.',
  'attachment.serviceNotAttached': 'Vous n’êtes pas rattaché au service {code} de {structure}.',
  'attachment.wholeStructure':
    'Votre rattachement à {structure} porte sur toute la structure : détachez-vous de la structure entière.',
  'attachment.gpNeedsSuccessor':
    'Vous êtes le gestionnaire principal de {structure} : nommez votre successeur avec --new-manager LOGIN.',
  'attachment.newManagerNotGp': 'seul le gestionnaire principal nomme un successeur',
  'attachment.newManagerSelf': 'le successeur doit être un autre compte',
  'attachment.gpChanged':
    'Le gestionnaire principal de la structure a changé entre-temps (une autre commande au même moment) : rien n’a été modifié.',
  'account.isPrincipalManager':
    'Le compte {login} est le gestionnaire principal de {structures} : transmettez d’abord ce rôle (attachment detach --new-manager).',
  'notification.exported': '{count} message(s) exporté(s) et marqué(s) envoyé(s).',
  'notification.digestQueued': 'Synthèse de la semaine {week} : {count} message(s) mis en file.',
  'notification.week': 'semaine ISO attendue, par exemple 2025-W11 (reçu : {value})',
  'digest.attachment.request': 'demande de rattachement',
  'digest.attachment.approve': 'rattachement validé',
  'digest.attachment.reject': 'demande refusée',
  'digest.attachment.add': 'rattachement ajouté par un gestionnaire',
  'digest.attachment.detach': 'détachement',
  'digest.attachment.transfer': 'nouveau gestionnaire principal',

  // --- courriels --------------------------------------------------------------------------
  'mail.accountCreated.subject': 'Chorus Pro : votre compte utilisateur',
  'mail.accountCreated.body':
    'Bonjour {firstName} {lastName},\n\nUn compte Chorus Pro a été ouvert à votre nom par votre correspondant dématérialisation de la DGFiP.\n\nIdentifiant de connexion : {login}\n\nÀ votre première connexion sur https://chorus-pro.gouv.fr, choisissez votre mot de passe puis complétez votre compte (coordonnées et adresse professionnelle).\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.accountDeactivated.subject': 'Chorus Pro : votre compte a été désactivé',
  'mail.accountDeactivated.body':
    'Bonjour {firstName} {lastName},\n\nVotre compte Chorus Pro ({login}) a été désactivé. Pour toute question, adressez-vous au correspondant dématérialisation de votre DDFiP.\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.attachmentRequested.subject': 'Chorus Pro : demande de rattachement à {companyName}',
  'mail.attachmentRequested.body':
    'Bonjour {firstName} {lastName},\n\n{requesterName} ({requester}) demande à être rattaché à {companyName} ({structure}), services : {services}.\n\nCommentaire : {comment}\n\nDemande n° {id} : validez-la ou refusez-la (chorus-admin attachment approve {id} ou reject {id} --reason …).\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.attachmentApproved.subject': 'Chorus Pro : rattachement à {companyName} validé',
  'mail.attachmentApproved.body':
    'Bonjour {firstName} {lastName},\n\nVotre demande de rattachement n° {id} à {companyName} ({structure}) a été validée par {decidedBy}.\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.attachmentRejected.subject': 'Chorus Pro : rattachement à {companyName} refusé',
  'mail.attachmentRejected.body':
    'Bonjour {firstName} {lastName},\n\nVotre demande de rattachement n° {id} à {companyName} ({structure}) a été refusée par {decidedBy}.\n\nMotif : {reason}\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.attachmentAdded.subject': 'Chorus Pro : vous êtes rattaché à {companyName}',
  'mail.attachmentAdded.body':
    'Bonjour {firstName} {lastName},\n\n{decidedBy} vous a rattaché à {companyName} ({structure}) comme {role}, services : {services}.\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.gpTransferred.subject': 'Chorus Pro : nouveau gestionnaire principal de {companyName}',
  'mail.gpTransferred.body':
    'Bonjour {firstName} {lastName},\n\nLe rôle de gestionnaire principal de {companyName} ({structure}) est passé de {former} à {successor}. {former} reste rattaché comme utilisateur.\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.weeklyDigest.subject': 'Chorus Pro : synthèse {week} de {structure}',
  'mail.weeklyDigest.body':
    'Bonjour {firstName} {lastName},\n\nMouvements de la semaine {week} pour {companyName} ({structure}) : {count}.\n\n{lines}\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
} as const;
