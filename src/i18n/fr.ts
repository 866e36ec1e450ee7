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
  'cmd.config': 'Profils : réglages par défaut de --db, --as, --lang et --format',
  'cmd.config.list': 'Lister les réglages de tous les profils (ou du profil nommé par --profile)',
  'cmd.config.get': 'Afficher un réglage du profil (default, ou celui de --profile)',
  'cmd.config.set': 'Enregistrer un réglage dans le profil (default, ou celui de --profile)',
  'cmd.config.unset': 'Retirer un réglage du profil (default, ou celui de --profile)',
  'cmd.completion': 'Afficher le script de complétion pour bash, zsh ou fish',
  'cmd.help': 'Afficher l’aide d’une commande (comme COMMANDE --help)',
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
  'arg.configKey': 'réglage : db, as, lang ou format',
  'arg.configValue': 'valeur du réglage',
  'arg.shell': 'interpréteur de commandes',
  'arg.helpCommand': 'la commande (et sa sous-commande)',
  'opt.db':
    'base : fichier SQLite ou URL postgres:// (défaut : chorus-admin.sqlite du dossier de données)',
  'opt.as': 'compte agissant (identifiant de connexion)',
  'opt.format': 'format de sortie : table, json, csv ou xlsx (tableur)',
  'opt.wide': 'tableaux : toutes les colonnes, aucune valeur raccourcie',
  'opt.outputFile': 'fichier où écrire le classeur xlsx (créé, jamais écrasé)',
  'opt.json': 'sortie JSON (comme --format json)',
  'opt.lang': 'langue des messages : fr ou en',
  'opt.configProfile': 'profil du fichier de configuration (défaut : default)',
  'opt.yes': 'répondre oui aux confirmations',
  'opt.quiet': 'n’afficher que les résultats et les erreurs',
  'opt.verbose': 'afficher les détails (et la pile d’une erreur interne)',
  'opt.changeReason': 'pourquoi : gardé au journal d’audit avec chaque modification',
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
  'opt.auditStructure':
    'l’historique d’une structure : elle, ses services, rattachements, habilitations et abonnements',
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
  'help.ph.options': 'options',
  'help.ph.command': 'commande',
  'help.ph.code': 'code',
  'help.ph.login': 'identifiant',
  'help.ph.id': 'id',
  'help.ph.ids': 'ids',
  'help.ph.date': 'date',
  'help.ph.text': 'texte',
  'help.ph.structure': 'structure',
  'help.ph.file': 'fichier',
  'help.ph.status': 'statut',
  'help.ph.type': 'type',
  'help.ph.profile': 'profil',
  'help.ph.prenom': 'prénom',
  'help.ph.nom': 'nom',
  'help.ph.ville': 'ville',
  'help.ph.path': 'chemin',
  'help.ph.numero': 'numéro',
  'help.ph.mode': 'mode',
  'help.ph.libelle': 'libellé',
  'help.ph.encoding': 'encodage',
  'help.ph.email': 'e-mail',
  'help.ph.departements': 'départements',
  'help.ph.week': 'semaine',
  'help.ph.target': 'cible',
  'help.ph.space': 'espace',
  'help.ph.role': 'rôle',
  'help.ph.lang': 'langue',
  'help.ph.identifiant': 'identifiant',
  'help.ph.format': 'format',
  'help.ph.dir': 'dossier',
  'help.ph.complement': 'complément',
  'help.ph.civilite': 'civilité',
  'help.ph.adresse': 'adresse',
  'help.ph.action': 'action',
  'help.ph.name': 'nom',
  'help.ph.key': 'clé',
  'help.ph.value': 'valeur',
  'help.ph.shell': 'shell',
  'help.examples': 'Exemples :',
  'help.columns': 'Colonnes lues (en-tête dans n’importe quel ordre, séparateur « ; ») :',
  'help.columns.required': 'obligatoires :',
  'help.columns.optional': 'facultatives :',
  'help.env':
    'Variables d’environnement : CHORUS_ADMIN_DB (--db), CHORUS_ADMIN_AS (--as),\n' +
    '  CHORUS_ADMIN_PROFILE (--profile), CHORUS_ADMIN_LANG (--lang),\n' +
    '  CHORUS_ADMIN_CONFIG (fichier de configuration), CHORUS_ADMIN_LOCK_TIMEOUT\n' +
    '  (attente du verrou, ms), NO_COLOR, FORCE_COLOR.\n' +
    'Codes de sortie : 0 succès, 1 lot partiellement rejeté, 2 usage, 3 introuvable,\n' +
    '  4 interdit, 5 saisie invalide, 6 conflit, 7 base indisponible,\n' +
    '  8 changements en attente (--check), 70 erreur interne.',

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
  'col.setting': 'Réglage',
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
  'col.reason': 'Motif',
  'col.runId': 'Synchronisation n°',
  'col.fromRun': 'Issue des changements de l’exécution',

  // --- sorties ----------------------------------------------------------------------------
  'output.error': 'Erreur :',
  'output.partial': 'Attention :',
  'output.warning': 'Attention :',
  'output.yes': 'oui',
  'output.no': 'non',
  'prompt.hint': 'o/N',
  'prompt.yesWords': 'o, oui, y, yes',
  'prompt.noWords': 'n, non, no',
  'prompt.yesLabel': 'oui',
  'prompt.noLabel': 'non',
  'prompt.reason': 'Motif (facultatif, gardé au journal ; Entrée pour aucun)',
  'prompt.invalid': 'Répondez o (oui) ou n (non).',
  'prompt.key.navigate': 'naviguer',
  'prompt.key.choose': 'choisir',
  'prompt.key.space': 'espace',
  'prompt.key.tick': 'cocher',
  'prompt.key.all': 'tout',
  'prompt.key.invert': 'inverser',
  'prompt.key.submit': 'valider',
  'output.empty': 'Aucun résultat.',
  'output.emptyValue': '(vide)',
  'output.line': 'ligne {line}',
  'output.cancelled': 'Abandon : rien n’a été modifié.',
  'output.partialList':
    '{shown, plural, one {# résultat affiché} other {# résultats affichés}} sur {total} (page {page}) ; voir --limit et --page.',

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
  'error.errno.ENOENT': 'fichier introuvable',
  'error.errno.EACCES': 'permission refusée',
  'error.errno.EPERM': 'opération non permise',
  'error.errno.EISDIR': 'c’est un dossier',
  'error.errno.ENOTDIR': 'une partie du chemin n’est pas un dossier',
  'error.errno.ENAMETOOLONG': 'nom trop long',
  'error.errno.ELOOP': 'trop de liens symboliques',
  'error.errno.EROFS': 'système de fichiers en lecture seule',
  'error.errno.EEXIST': 'le fichier existe déjà',
  'error.errno.ENOSPC': 'plus de place sur le disque',
  'error.errno.EIO': 'erreur d’entrée-sortie du disque',
  'error.errno.EMFILE': 'trop de fichiers ouverts',
  'error.errno.EBUSY': 'fichier occupé',
  'error.errno.EPIPE': 'le lecteur a fermé le flux',
  'error.errno.other': 'erreur du système',
  'usage.actorRequired': 'Indiquez le compte agissant avec --as LOGIN (ou CHORUS_ADMIN_AS).',
  'usage.confirmationNeeded':
    'Confirmation nécessaire : relancez avec --yes (pas de terminal pour la demander).',
  'usage.xlsxOnTerminal':
    'Un classeur xlsx ne s’affiche pas dans un terminal : indiquez -o FICHIER.xlsx ou redirigez la sortie.',
  'usage.missingValue': 'Valeur manquante : {option} (pas de terminal pour la demander).',
  'usage.seeHelp': 'Voir --help.',
  'usage.unknownOption': 'Option inconnue : {token}.',
  'usage.unknownCommand': 'Commande inconnue : {token}.',
  'usage.didYouMean': 'Vouliez-vous dire {words} ?',
  'usage.quoted': '« {word} »',
  'usage.or': ' ou ',
  'usage.missingArgument': 'Argument manquant : {token}.',
  'usage.optionMissingArgument': 'L’option {token} attend une valeur.',
  'usage.missingMandatoryOption': 'Option obligatoire manquante : {token}.',
  'usage.excessArgument': 'Argument inattendu : {extra}.',
  'usage.excessArguments': 'Arguments inattendus : {extra}.',
  'usage.conflictingOption': 'Options incompatibles : {first} et {second}.',
  'usage.commandLine': 'Ligne de commande incorrecte.',

  // --- validation -------------------------------------------------------------------------
  'validation.required': 'obligatoire',
  'validation.email': 'adresse e-mail invalide',
  'validation.name': 'lettres, espaces, tirets et apostrophes seulement',
  'validation.tooLong100': '100 caractères au plus',
  'validation.tooLong200': '200 caractères au plus',
  'validation.reason': '1 à 500 caractères, sans caractère de contrôle',
  'validation.civilite': 'M. ou Mme',
  'validation.phone': 'numéro de téléphone invalide (ex. 05 59 27 85 80 ou +33 5 59 27 85 80)',
  'validation.postalCode': 'code postal invalide (5 chiffres en France)',
  'validation.country': 'code pays ISO à deux lettres (FR, BE…)',
  'validation.language': 'fr ou en',
  'validation.onOff': 'on ou off',
  'validation.date': 'date invalide ou inexistante (JJ/MM/AAAA ou AAAA-MM-JJ)',
  'validation.unknownField': 'option inconnue de cette commande',
  'validation.choice': '« {value} » n’est pas une valeur admise ({choices})',
  'validation.invalidValue': 'valeur « {value} » refusée',
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
  'rights.notManager':
    'Il faut être gestionnaire principal de la structure, ou avoir l’habilitation nécessaire.',
  'rights.principalOnly': 'Action réservée au gestionnaire principal de la structure.',
  'rights.notAttached': 'Il faut un rattachement à la structure (validé, en cours de validité).',
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
  'init.next':
    'Et ensuite, en tant que {login} :\n  export CHORUS_ADMIN_AS={login}\n  chorus-admin structure import annuaire.csv             # l’annuaire\n  chorus-admin structure import-services services.csv    # ses services\n  chorus-admin sync madrhas export.csv --dry-run         # MADRHAS, à blanc\n  chorus-admin sync madrhas export.csv --rejects rejets.csv  # pour de bon\nDonnez le même --db qu’ici, s’il y en avait un.\nLes colonnes de chaque fichier : chorus-admin sync madrhas --help, etc.',
  'db.migrated': 'Migrations appliquées : {applied}.',
  'db.upToDate': 'Schéma à jour ({schema}).',
  'db.pending': 'Migrations en attente : {pending}.',
  'db.checkOk': 'Base intègre.',
  'db.checkFailed':
    '{count, plural, one {# problème trouvé} other {# problèmes trouvés}} dans la base.',
  'check.integrity': 'Intégrité de la base : {detail}',
  'check.pendingMigrations':
    'Migrations en attente : {pending} (les autres vérifications attendent « db migrate »).',
  'check.fileSize':
    'Pièce jointe n° {fileId} ({name}) : {actual, plural, one {# octet relu} other {# octets relus}} au lieu de {expected}, son contenu est endommagé.',
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

  // --- profils (fichier de configuration) --------------------------------------------------
  'config.set': 'Profil {profile} : {key} = {value} ({file}).',
  'config.where':
    'Fichier : ~/.config/chorus-admin/config.toml (ou sous $XDG_CONFIG_HOME),\nou celui que nomme CHORUS_ADMIN_CONFIG.\nPriorité : option, variable d’environnement, profil, valeur par défaut.',
  'config.unset': 'Profil {profile} : {key} retiré ({file}).',
  'config.unsetAbsent': 'Profil {profile} : {key} n’était pas réglé, rien n’a changé.',
  'config.empty': 'Aucun réglage dans {file}.',
  'config.keyNotSet': 'Le profil {profile} ne règle pas {key} ({file}).',
  'config.invalidFile': 'Fichier de configuration invalide : {file}.',
  'config.unreadable': 'Lecture impossible du fichier de configuration {file} ({code}).',
  'config.unwritable': 'Écriture impossible du fichier de configuration {file} ({code}).',
  'config.syntax': 'syntaxe TOML invalide (colonne {column})',
  'config.unknownTop': 'clé inconnue : les réglages vont dans une table [profiles.NOM]',
  'config.notTable': 'une table est attendue ([profiles.NOM])',
  'config.unknownKey': 'réglage inconnu (réglages possibles : {keys})',
  'config.notString': 'une valeur entre guillemets est attendue',
  'config.emptyValue': 'valeur vide',
  'config.badChoice': 'valeur refusée « {value} » (valeurs possibles : {choices})',
  'config.unknownProfile': 'profil inconnu « {name} » (profils de {file} : {known})',
  'config.noProfiles': 'profil inconnu « {name} » ({file} n’a aucun profil)',
  'config.badProfileName':
    'nom de profil refusé « {name} » (lettres, chiffres, tiret et soulignement seulement)',

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
  'account.nothingToEdit':
    'Rien à faire : aucune modification demandée ; indiquez au moins une option (voir --help).',
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
    'Importer l’export de l’annuaire des structures ; un nouvel import met à jour',
  'cmd.structure.importServices': 'Importer les services des structures',
  'cmd.structure.orphans':
    'Structures de votre périmètre sans gestionnaire principal en fonction, et demandes que personne ne peut traiter',
  'cmd.structure.search': 'Rechercher des structures (sans accents ni casse, classées, paginées)',
  'cmd.structure.show':
    'Afficher une structure : adresse, indicateurs, services, gestionnaire principal, comptes rattachés',
  'cmd.structure.users':
    'Lister les utilisateurs d’une structure avec leurs habilitations et leurs espaces (* : par défaut ; exportable avec --format csv)',
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
  'col.habilitations': 'Habilitations',
  'col.spaces': 'Espaces',
  'col.accountStatus': 'Statut du compte',
  'col.attachmentStatus': 'Statut du rattachement',
  'csv.unusable': 'Fichier {file} inutilisable : rien n’a été enregistré.',
  'csv.unreadable': 'lecture impossible ({detail})',
  'csv.empty': 'le fichier est vide',
  'csv.noHeader': 'pas de ligne d’en-tête',
  'csv.malformed': 'CSV mal formé ({detail})',
  'csv.reason.MissingQuotes': 'guillemet jamais refermé',
  'csv.reason.InvalidQuotes': 'guillemet mal placé dans une cellule',
  'csv.reason.other': 'ligne illisible',
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
  'import.done': 'Import de {file} terminé : {rows, plural, one {# ligne} other {# lignes}}.',
  'import.rejectedLine': 'ligne {line} : {errors}',
  'import.moreRejected':
    '… et {count, plural, one {# autre ligne rejetée} other {# autres lignes rejetées}} (voir --rejects).',
  'import.partial':
    '{rejected, plural, one {# ligne sur {rows} rejetée} other {# lignes sur {rows} rejetées}} ; {dryRun, select, yes {les autres seraient importées} other {les autres sont importées}}. Détail avec --rejects FICHIER.csv.',
  'import.partialWithFile':
    '{rejected, plural, one {# ligne sur {rows} rejetée, écrite} other {# lignes sur {rows} rejetées, écrites}} dans {file} ; {dryRun, select, yes {les autres seraient importées} other {les autres sont importées}}.',
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
  'cmd.sync.madrhas': 'Synchroniser les comptes et leurs rattachements depuis un export MADRHAS',
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
  'col.keptLocal': 'Valeurs locales gardées',
  'col.overridden': 'Valeurs locales remplacées',
  'col.reactivated': 'Réactivés',
  'col.accountsCreated': 'Créés',
  'col.accountsUpdated': 'Mis à jour',
  'col.accountsUnchanged': 'Inchangés',
  'col.rowsRejected': 'Lignes rejetées',
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
  'sync.strict':
    '{count, plural, one {# ligne rejetée} other {# lignes rejetées}} avec --strict : rien n’a été appliqué.',
  'sync.strictRejected': '{count, plural, one {# ligne rejetée} other {# lignes rejetées}}',
  'sync.tooManyDeactivations':
    'Passage refusé : il désactiverait {count, plural, one {# compte} other {# comptes}} sur {total} (limite {limit}, --max-deactivations {max}) : {logins}{more, plural, =0 {} one { et # autre} other { et # autres}}. Rien n’a été modifié ; vérifiez que l’export est complet. Si ces départs sont voulus, enregistrez le plan (--plan) et faites-le appliquer par un autre correspondant dont le périmètre couvre le vôtre (sync apply, avec --reason).',
  'sync.tooManyDeactivationsPlanned':
    'Passage refusé : il désactiverait {count, plural, one {# compte} other {# comptes}} sur {total} (limite {limit}, --max-deactivations {max}) : {logins}{more, plural, =0 {} one { et # autre} other { et # autres}}. Rien n’a été modifié ; le plan enregistré attend un second correspondant.',
  'sync.maxDeactivationsFormat': '« {value} » : un nombre (50) ou un pourcentage (10%) attendu',
  'sync.done':
    '{dryRun, select, yes {Simulation de la synchronisation de {file} terminée} other {Synchronisation de {file} terminée}} : {accounts, plural, one {# compte} other {# comptes}}, {rows, plural, one {# ligne} other {# lignes}}.',
  'sync.dryRunDone': 'Simulation : rien n’a été enregistré.',
  'sync.gpKept':
    '{count, plural, one {# gestionnaire principal conservé : l’export le retirerait et sa structure n’aurait plus de GP} other {# gestionnaires principaux conservés : l’export les retirerait et leur structure n’aurait plus de GP}}. Transférez d’abord le rôle (attachment detach --new-manager), puis relancez.',

  // --- exécutions et annulation (SPEC 8.1 « Runs ») ---------------------------------------
  'cmd.sync.runs':
    'Lister les exécutions (synchronisations, imports, annulations) de votre périmètre, les plus récentes d’abord',
  'cmd.sync.show':
    'Montrer ce qu’une exécution a fait, compte par compte et structure par structure',
  'cmd.sync.revert':
    'Annuler une exécution : les valeurs qu’elle a remplacées reviennent ; ce qui a changé depuis est conservé',
  'arg.run': 'numéro de l’exécution (sync runs les liste)',
  'opt.revertDryRun': 'montrer ce qui reviendrait et les conflits, sans rien enregistrer',
  'col.run': 'Exécution',
  'col.startedAt': 'Début',
  'col.finishedAt': 'Fin',
  'col.counts': 'Bilan',
  'col.plan': 'Plan appliqué',
  'col.revertedBy': 'Annulée par',
  'col.revertRun': 'Annulation n°',
  'col.planner': 'Plan fait par',
  'col.runChanges': 'Éléments modifiés par l’exécution',
  'col.restored': 'Rétablis',
  'col.deleted': 'Supprimés',
  'col.attachmentsRemoved': 'Rattachements retirés',
  'col.attachmentsRestored': 'Rattachements rétablis',
  'col.conflicts': 'Conflits',
  'run.notFound': 'Exécution {run} introuvable (sync runs liste celles de votre périmètre).',
  'run.alreadyReverted': 'L’exécution {run} a déjà été annulée (annulation n° {by}).',
  'run.revertOfRevert':
    'L’exécution {run} est une annulation : elle ne s’annule pas. Pour refaire l’exécution d’origine, relancez la synchronisation de son fichier.',
  'run.revertLeavesNoGp':
    'Annulation refusée : ces structures n’auraient plus de gestionnaire principal : {structures}. Désignez d’abord leur gestionnaire principal, puis relancez.',
  'run.confirmRevert':
    'Annuler l’exécution {run} ? Les valeurs qu’elle a remplacées reviennent, les comptes qu’elle a créés sont supprimés.',
  'run.reverted': 'Exécution {run} annulée (annulation n° {revertRun}).',
  'run.revertDryRun': 'Simulation : rien n’a été enregistré.',
  'run.conflicts':
    '{count, plural, one {# valeur a changé depuis l’exécution : elle est conservée, non rétablie} other {# valeurs ont changé depuis l’exécution : elles sont conservées, non rétablies}}.',
  'run.conflict.changed': '« {now} » depuis, conservé (l’exécution avait mis « {run} »)',
  'run.conflict.usedSince': 'utilisé depuis l’exécution : conservé',
  'run.conflict.lastGp': 'conservé : sa structure n’aurait plus de gestionnaire principal',
  'run.conflict.gpTaken': 'non rétabli : la structure a un autre gestionnaire principal depuis',
  'run.conflict.gone': 'n’existe plus',
  'run.moreChanges': '… et {count} autres (--limit 0 pour tout voir).',
  'run.detail.added': '+ rattachement {structure} ({role})',
  'run.detail.changed': '~ rattachement {structure} : {changes}',
  'run.detail.ended': '− rattachement {structure} clos',
  'run.detail.kept': 'conservés (complétés par le titulaire) : {fields}',
  'run.detail.keptLocal': 'conservés (modifiés dans l’outil) : {fields}',
  'run.detail.overridden': 'remplacés par le fichier (modifiés dans l’outil aussi) : {fields}',
  'run.detail.gpKept': 'gestionnaire principal conservé : {fields}',
  'cmd.sync.apply':
    'Appliquer un plan enregistré (--plan) tel quel, une seule fois, si la base n’a pas changé depuis',
  'arg.planFile': 'plan JSON écrit par sync madrhas --plan',
  'opt.plan':
    'écrire le plan de la synchronisation dans ce fichier JSON, sans rien enregistrer dans la base (à appliquer avec sync apply)',
  'opt.check':
    'avec --dry-run : code 0 si la base est déjà conforme au fichier, 8 si l’appliquer changerait quelque chose',
  'opt.noCredentials': 'ne pas envoyer leurs identifiants aux comptes créés (reprise de données)',
  'opt.planDryRun':
    'vérifier que le plan s’appliquerait tel quel, et le montrer, sans rien écrire (avant une validation)',
  'opt.planExport': 'l’export MADRHAS, s’il n’est plus à l’emplacement noté dans le plan',
  'sync.checkNeedsDryRun': '--check ne s’emploie qu’avec --dry-run (ou --plan).',
  'sync.changesPending':
    'Appliquer ce fichier modifierait la base : {count, plural, one {# compte} other {# comptes}} (code 8).',
  'sync.upToDate': 'La base est déjà conforme au fichier : rien à appliquer.',
  'sync.planWritten':
    'Plan écrit dans {file} ({count, plural, one {# compte} other {# comptes}}) : relisez-le, puis appliquez-le avec « sync apply {file} ».',
  'sync.planWrittenOverLimit':
    'Plan écrit dans {file} ({count, plural, one {# compte} other {# comptes}}) : relisez-le. Il dépasse --max-deactivations : seul un autre correspondant dont le périmètre couvre le vôtre peut l’appliquer, avec « sync apply {file} » et --reason.',
  'sync.planWouldApply':
    'Le plan de {planner} s’appliquerait tel quel : la base n’a pas changé depuis, l’export non plus, et vous pouvez l’appliquer{overLimit, select, yes { avec --reason (il dépasse --max-deactivations)} other {}}.',
  'sync.planApplied':
    'Plan de {planner} appliqué : {accounts, plural, one {# compte} other {# comptes}}, {rows, plural, one {# ligne} other {# lignes}}.',
  'plan.header':
    'Plan de {file} : {count, plural, one {# compte modifié} other {# comptes modifiés}}',
  'plan.headerBy': 'Mode {mode}, par {actor}',
  'plan.nothing': 'Aucun changement : la base est déjà conforme au fichier.',
  'plan.noStructure': 'Sans rattachement modifié',
  'plan.created': 'créé',
  'plan.deactivated': 'désactivé',
  'plan.deactivatedAbsent': 'désactivé (absent du fichier)',
  'plan.reactivated': 'réactivé',
  'plan.attachmentAdded': 'rattaché à {structure} ({role})',
  'plan.attachmentChanged': 'rattachement {structure} : {changes}',
  'plan.attachmentEnded': 'rattachement {structure} clos',
  'plan.ended': 'rattachement clos',
  'plan.kept': 'gardés (renseignés par le titulaire) : {fields}',
  'plan.gpKept': 'reste gestionnaire principal de {structures}',
  'plan.keptLocal': 'valeur locale conservée : {fields}',
  'plan.overridden': 'valeur locale remplacée par le fichier : {fields}',
  'plan.more': '… et {count, plural, one {# autre compte} other {# autres comptes}} (voir --plan)',
  'plan.moreStructures':
    '… et {count, plural, one {# autre structure} other {# autres structures}} (voir --plan)',
  'plan.dir': 'dossier introuvable : {dir}',
  'plan.exists':
    'Le fichier {file} existe déjà : un plan ne remplace jamais un fichier. Choisissez un autre nom.',
  'plan.isInput': '{file} est le fichier à synchroniser : le plan ne peut pas l’écraser.',
  'plan.unwritable': 'impossible d’écrire le plan {file}',
  'plan.invalidFile':
    'Ce fichier n’est pas un plan de synchronisation lisible : rien n’a été appliqué.',
  'plan.sealBroken':
    'le plan a été modifié depuis qu’il a été écrit, ou vient d’une autre base (son sceau ne correspond pas)',
  'plan.invalid': 'plan illisible ou incomplet',
  'plan.fileChanged':
    'L’export {file} n’est plus celui du plan (son empreinte SHA-256 a changé) : refaites le plan.',
  'plan.stale':
    'La base a changé depuis ce plan ({at}) : il n’est plus à jour. Refaites-le avec sync madrhas --plan.',
  'plan.applied': 'Ce plan a déjà été appliqué : un plan ne s’applique qu’une fois.',
  'plan.differs':
    'La synchronisation ne donne plus exactement ce plan (compte {login}) : rien n’a été appliqué. Refaites le plan.',
  'plan.reasonRequired':
    'Ce plan dépasse --max-deactivations : donnez le motif de votre validation avec --reason.',
  'rights.notPlanner': 'Seul le correspondant qui a fait ce plan peut l’appliquer.',
  'rights.ownPlan':
    'Ce plan dépasse --max-deactivations : un autre correspondant que vous doit le valider et l’appliquer.',
  'rights.planOutsideScope':
    'Ce plan porte sur un périmètre que le vôtre ne couvre pas (ou plus) : rien n’a été appliqué.',
  'rights.planScope':
    'Ce plan dépasse --max-deactivations : il faut un correspondant dont le périmètre couvre celui de son auteur.',

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
  'file.added':
    'Pièce jointe n° {id} ajoutée : {name} ({size, plural, one {# octet} other {# octets}}).',
  'file.removed':
    '{count, plural, one {# pièce jointe supprimée} other {# pièces jointes supprimées}} : {names}.',
  'file.downloaded':
    '{count, plural, one {# pièce jointe écrite} other {# pièces jointes écrites}}, octets vérifiés (SHA-256).',
  'file.confirmRemove':
    'Supprimer définitivement {count, plural, one {# pièce jointe} other {# pièces jointes}} : {names} ?',
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
    'Demander une habilitation sur une structure où vous avez un rattachement (en attente de décision)',
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
  'col.orphanReason': 'Motif',
  'col.decidable': 'Décidable',
  'col.name': 'Nom et prénom',
  'orphans.reason.NO_PRINCIPAL': 'Sans gestionnaire principal',
  'orphans.reason.NO_DECIDER': 'Personne pour décider',
  'orphans.yes': 'oui',
  'orphans.no': 'non',
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
  'habilitation.removedAll':
    '{count, plural, one {# habilitation supprimée} other {# habilitations supprimées}}.',
  'habilitation.notFound': 'Habilitation n° {id} introuvable.',
  'habilitation.implicit':
    '{login} est le gestionnaire principal de {structure} : ce rôle donne déjà toutes les habilitations.',
  'habilitation.exists': '{login} a déjà l’habilitation {profile} sur {place} : n° {id}, {status}.',
  'habilitation.notAttached':
    '{login} n’a pas de rattachement validé et en cours à {structure} : pas d’habilitation possible.',
  'request.approved': '{count, plural, one {# demande validée} other {# demandes validées}}.',
  'request.rejected': '{count, plural, one {# demande refusée} other {# demandes refusées}}.',
  'request.removed': '{count, plural, one {# suppression faite} other {# suppressions faites}}.',
  'request.noneToChoose': 'Rien à supprimer.',
  'request.alreadyDecided': 'La demande n° {id} est déjà décidée ({status}).',
  'request.alreadyClosed': 'N° {id} : déjà {status}, rien à supprimer ou modifier.',
  'bulk.partial':
    '{failed, plural, one {# sur {count} n’a pas abouti} other {# sur {count} n’ont pas abouti}} (voir chaque ligne).',
  'mail.subscriptionRequested.subject': 'Chorus Pro : demande d’abonnement à l’espace {space}',
  'mail.subscriptionRequested.body':
    'Bonjour {firstName} {lastName},\n\n{requester} demande l’abonnement à l’espace {space} ({mode}) {place}.\n\nDemande n° {id} : validez-la avec « chorus-admin subscription approve {id} » ou refusez-la avec « chorus-admin subscription reject {id} ».\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.subscriptionApproved.subject': 'Chorus Pro : abonnement à l’espace {space} accordé',
  'mail.subscriptionApproved.body':
    'Bonjour {firstName} {lastName},\n\nVotre demande n° {id} d’abonnement à l’espace {space} ({mode}) {place} a été validée.{hasReason, select, yes {\n\nMotif : {reason}} other {}}\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.subscriptionRejected.subject': 'Chorus Pro : abonnement à l’espace {space} refusé',
  'mail.subscriptionRejected.body':
    'Bonjour {firstName} {lastName},\n\nVotre demande n° {id} d’abonnement à l’espace {space} ({mode}) {place} a été refusée.{hasReason, select, yes {\n\nMotif : {reason}} other {}}\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.habilitationRequested.subject': 'Chorus Pro : demande d’habilitation « {profile} »',
  'mail.habilitationRequested.body':
    'Bonjour {firstName} {lastName},\n\n{requester} demande l’habilitation « {profile} » {place}.\n\nDemande n° {id} : validez-la avec « chorus-admin habilitation approve {id} » ou refusez-la avec « chorus-admin habilitation reject {id} --reason … ».\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.habilitationApproved.subject': 'Chorus Pro : habilitation « {profile} » accordée',
  'mail.habilitationApproved.body':
    'Bonjour {firstName} {lastName},\n\nL’habilitation « {profile} » {place} vous est accordée (n° {id}).{hasReason, select, yes {\n\nMotif : {reason}} other {}}\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.habilitationRejected.subject': 'Chorus Pro : habilitation « {profile} » refusée',
  'mail.habilitationRejected.body':
    'Bonjour {firstName} {lastName},\n\nVotre demande n° {id} d’habilitation « {profile} » {place} a été refusée.{hasReason, select, yes {\n\nMotif : {reason}} other {}}\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  // --- fin de l’issue 5 B

  // --- journal ----------------------------------------------------------------------------
  'audit.intact':
    'Journal intègre : {entries, plural, one {# entrée} other {# entrées}} ; tête n° {seq}, empreinte {hash}.',
  'audit.broken.altered': 'Journal rompu : l’entrée n° {seq} a été modifiée.',
  'audit.broken.removed': 'Journal rompu : l’entrée n° {seq} a été supprimée.',
  'audit.broken.inserted': 'Journal rompu : une entrée a été insérée en n° {seq}.',
  'audit.broken.backwards':
    'Journal rompu : l’entrée n° {seq} est datée d’avant la précédente (le temps ne recule pas dans le journal).',
  'audit.broken.noHead': 'Journal rompu : la tête conservée à côté du journal a été supprimée.',
  'audit.broken.runChanges':
    'Journal rompu : les modifications de comptes de l’exécution que l’entrée n° {seq} audite ont été modifiées, supprimées ou complétées.',
  'audit.broken.empty':
    'Journal rompu : la base contient des comptes mais aucune entrée de journal (il a été vidé).',
  'audit.headMissing':
    'La tête du journal a disparu de la base : la base est endommagée (voir « audit verify », ou restaurez une sauvegarde).',
  'audit.anchor.changed':
    'Ancre ligne {line} : l’entrée n° {seq} n’est plus celle relevée (empreinte différente), le journal a été réécrit.',
  'audit.anchor.missing':
    'Ancre ligne {line} : le journal ne contient plus l’entrée n° {seq}, il a été tronqué.',
  'audit.anchor.broken':
    'Journal rompu : {count, plural, one {# ancre n’est plus dans la chaîne} other {# ancres ne sont plus dans la chaîne}}.',
  'audit.anchor.invalid': 'Fichier d’ancres {file} invalide : rien n’a été vérifié.',
  'audit.anchor.notJson': 'ligne illisible (une ligne « audit head --json » attendue)',
  'audit.anchor.notHead':
    'ce n’est pas une tête du journal ({"seq": N, "hash": "…", "at": "…"} attendu)',
  'audit.exported': '{count, plural, one {# entrée exportée} other {# entrées exportées}}.',

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
  'opt.week':
    'semaine ISO AAAA-Www (défaut : la dernière semaine complète ; la semaine en cours seulement si elle est nommée)',
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
  'attachment.confirmDetachGp':
    '{hasSuccessor, select, yes {Transmettre à {login} le rôle de gestionnaire principal de {structure} ?} other {Vous êtes le gestionnaire principal de {structure} : vous en détacher ?}}',
  'attachment.notFound': 'Demande de rattachement n° {id} introuvable.',
  'attachment.requested':
    'Demande de rattachement n° {id} à {structure} envoyée aux gestionnaires.',
  'attachment.requestedUndecidable': 'Demande de rattachement n° {id} à {structure} enregistrée.',
  'attachment.approved': '{count, plural, one {# demande validée} other {# demandes validées}}.',
  'attachment.rejected': '{count, plural, one {# demande refusée} other {# demandes refusées}}.',
  'attachment.decidedPartly':
    '{failed, plural, one {# demande sur {total} n’a pas pu être traitée} other {# demandes sur {total} n’ont pas pu être traitées}}.',
  'attachment.added': 'Rattachement n° {id} de {login} à {structure} créé.',
  'attachment.designated': '{login} est désormais gestionnaire principal de {structure}.',
  'attachment.detached':
    'Vous êtes {title, select, Mme {détachée} M. {détaché} other {détaché·e}} de {structure}.',
  'attachment.detachedServices':
    'Vous êtes {title, select, Mme {détachée} M. {détaché} other {détaché·e}} {count, plural, one {du service {services}} other {des services {services}}} de {structure}.',
  'attachment.transferred':
    'Le rôle de gestionnaire principal de {structure} est passé à {login} ; vous restez {title, select, Mme {rattachée} M. {rattaché} other {rattaché·e}} comme {title, select, Mme {utilisatrice simple} other {utilisateur simple}}.',
  'attachment.alreadyDecided': 'La demande n° {id} est déjà traitée (statut {status}).',
  'attachment.exists': '{login} a déjà un rattachement en cours ou validé à {structure}.',
  'attachment.structureInactive': 'La structure {structure} n’est pas active.',
  'attachment.serviceInactive': 'Le service {code} de {structure} n’est pas actif.',
  'attachment.accountInactive': 'Le compte {login} n’est pas actif (statut {status}).',
  'attachment.gpExists':
    'La structure {structure} a déjà un gestionnaire principal : le rôle se transmet avec attachment detach --new-manager.',
  'attachment.gpWholeStructure':
    'Un gestionnaire principal est rattaché à toute la structure : --service ne s’emploie pas avec --role GESTIONNAIRE_PRINCIPAL.',
  'attachment.gpEnded':
    'Un gestionnaire principal dont la validité a pris fin ({until}) ne gérerait rien.',
  'attachment.undecidable':
    'Aucun compte actif ne peut traiter cette demande : {structure} n’a pas de gestionnaire principal en fonction. {count, plural, =0 {Aucun correspondant dématérialisation ne couvre cette structure.} one {Adressez-vous au correspondant dématérialisation : {correspondents}.} other {Adressez-vous aux correspondants dématérialisation : {correspondents}.}}',
  'attachment.dateOrder': 'La fin de validité ({until}) précède le début ({from}).',
  'attachment.notAttached': '{login} n’a pas de rattachement à {structure}.',
  'attachment.serviceNotAttached':
    'Vous n’avez pas de rattachement au service {code} de {structure}.',
  'attachment.wholeStructure':
    'Votre rattachement à {structure} porte sur toute la structure : détachez-vous de la structure entière.',
  'attachment.gpNeedsSuccessor':
    'Vous avez le rôle de gestionnaire principal de {structure} : nommez votre successeur avec --new-manager LOGIN.',
  'attachment.newManagerNotGp': 'seul le gestionnaire principal nomme un successeur',
  'attachment.newManagerSelf': 'le successeur doit être un autre compte',
  'attachment.gpChanged':
    'Le gestionnaire principal de la structure a changé entre-temps (une autre commande au même moment) : rien n’a été modifié.',
  'account.isPrincipalManager':
    'Le compte {login} est le gestionnaire principal de {structures} : transmettez d’abord ce rôle (attachment detach --new-manager).',
  'notification.exported':
    '{count, plural, one {# message exporté et marqué envoyé} other {# messages exportés et marqués envoyés}}.',
  'notification.digestQueued':
    'Synthèse de la semaine {week} : {count, plural, one {# message mis en file} other {# messages mis en file}}.',
  'notification.week': 'semaine ISO attendue, par exemple 2025-W11 (reçu : {value})',
  'notification.weekFuture':
    'la semaine {week} n’a pas commencé : une synthèse porte sur une semaine passée (ou en cours, si vous la nommez)',
  'notification.weekCurrent':
    'La semaine {week} n’est pas terminée : la synthèse ne compte ses mouvements que jusqu’à aujourd’hui.',
  'date.month.1': 'janvier',
  'date.month.2': 'février',
  'date.month.3': 'mars',
  'date.month.4': 'avril',
  'date.month.5': 'mai',
  'date.month.6': 'juin',
  'date.month.7': 'juillet',
  'date.month.8': 'août',
  'date.month.9': 'septembre',
  'date.month.10': 'octobre',
  'date.month.11': 'novembre',
  'date.month.12': 'décembre',
  'date.weekday.1': 'lundi',
  'date.weekday.2': 'mardi',
  'date.weekday.3': 'mercredi',
  'date.weekday.4': 'jeudi',
  'date.weekday.5': 'vendredi',
  'date.weekday.6': 'samedi',
  'date.weekday.7': 'dimanche',
  'date.dayNumber': '{day, plural, =1 {1er} other {#}}',
  'date.day': '{weekday} {dayNumber}',
  'week.span.sameMonth': 'du lundi {d1} au dimanche {d2} {m2} {y2}',
  'week.span.sameYear': 'du lundi {d1} {m1} au dimanche {d2} {m2} {y2}',
  'week.span.years': 'du lundi {d1} {m1} {y1} au dimanche {d2} {m2} {y2}',
  'week.short.sameMonth': 'du {d1} au {d2} {m2} {y2}',
  'week.short.sameYear': 'du {d1} {m1} au {d2} {m2} {y2}',
  'week.short.years': 'du {d1} {m1} {y1} au {d2} {m2} {y2}',
  'digest.partial': ' (en cours : jusqu’au {date})',
  'digest.line': '- {day} — {who} : {what}',
  'digest.scope':
    '{count, plural, =0 {toute la structure} one {service {services}} other {services {services}}}',
  'digest.attachment.request': 'demande de rattachement ({scope})',
  'digest.attachment.approve': 'rattachement validé par {by} ({scope})',
  'digest.attachment.reject':
    'demande de rattachement refusée par {by} ({scope}){hasReason, select, yes { ; motif : {reason}} other {}}',
  'digest.attachment.add': 'rattachement comme {role} par {by} ({scope})',
  'digest.attachment.detach': 'détachement ({scope})',
  'digest.attachment.transfer': 'devient gestionnaire principal à la place de {former}',
  'digest.subscription.request': 'demande d’abonnement à l’espace {space} ({mode}) ({scope})',
  'digest.subscription.approve':
    'abonnement à l’espace {space} ({mode}) accordé par {by} ({scope})',
  'digest.subscription.reject':
    'demande d’abonnement à l’espace {space} ({mode}) refusée par {by} ({scope}){hasReason, select, yes { ; motif : {reason}} other {}}',
  'digest.subscription.remove':
    'abonnement à l’espace {space} ({mode}) supprimé par {by} ({scope})',
  'label.space.MON_COMPTE': 'Mon compte',
  'label.space.FACTURES_EMISES': 'Factures émises',
  'label.space.FACTURES_RECUES': 'Factures reçues',
  'label.space.ACTIVITES_GESTIONNAIRE': 'Activités du gestionnaire',
  'label.space.FACTURES_A_VALIDER': 'Factures à valider',
  'label.space.FACTURES_TRAVAUX': 'Factures de travaux',
  'label.space.SOLLICITATIONS_EMISES': 'Sollicitations émises',
  'label.space.SOLLICITATIONS_RECUES': 'Sollicitations reçues',
  'label.mode.CONSULTATION_UNIQUEMENT': 'consultation uniquement',
  'label.mode.MODIFICATION': 'modification',
  'label.role.GESTIONNAIRE_PRINCIPAL':
    '{title, select, Mme {gestionnaire principale} other {gestionnaire principal}}',
  'label.role.GESTIONNAIRE_SECONDAIRE': 'gestionnaire secondaire',
  'label.role.UTILISATEUR': '{title, select, Mme {utilisatrice simple} other {utilisateur simple}}',
  'label.profile.VALIDATION_RATTACHEMENTS': 'validation des rattachements',
  'label.profile.VALIDATION_ABONNEMENTS': 'validation des abonnements',
  'label.profile.CONSULTATION_UTILISATEURS': 'consultation des utilisateurs',
  'label.profile.MODIFICATION_STRUCTURE': 'modification de la structure',
  'mail.place.structure': 'sur {companyName} ({structureId})',
  'mail.place.service': 'sur le service {service} de {companyName} ({structureId})',
  'mail.scope':
    '{count, plural, =0 {toute la structure} one {le service {services}} other {les services {services}}}',

  // --- courriels --------------------------------------------------------------------------
  'mail.accountCreated.subject': 'Chorus Pro : votre compte utilisateur',
  'mail.accountCreated.body':
    'Bonjour {firstName} {lastName},\n\nVotre correspondant dématérialisation de la DGFiP vous a ouvert un compte Chorus Pro.\n\nVotre identifiant de connexion : {login}\n\nÀ votre première connexion sur https://chorus-pro.gouv.fr, choisissez votre mot de passe puis complétez votre compte (coordonnées et adresse professionnelle).\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.accountDeactivated.subject': 'Chorus Pro : votre compte a été désactivé',
  'mail.accountDeactivated.body':
    'Bonjour {firstName} {lastName},\n\nVotre compte Chorus Pro ({login}) a été désactivé. Pour toute question, adressez-vous au correspondant dématérialisation de votre DDFiP.\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.attachmentRequested.subject': 'Chorus Pro : demande de rattachement à {companyName}',
  'mail.attachmentRequested.body':
    'Bonjour {firstName} {lastName},\n\n{requesterName} ({requester}) demande un rattachement à {companyName} ({structureId}), pour {scope}.\n\nSon commentaire : {comment}\n\nDemande n° {id} : validez-la avec « chorus-admin attachment approve {id} » ou refusez-la avec « chorus-admin attachment reject {id} --reason … ».\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.attachmentApproved.subject': 'Chorus Pro : rattachement à {companyName} validé',
  'mail.attachmentApproved.body':
    'Bonjour {firstName} {lastName},\n\nVotre demande de rattachement n° {id} à {companyName} ({structureId}) a été validée par {decidedBy}.{hasReason, select, yes {\n\nMotif : {reason}} other {}}\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.attachmentRejected.subject': 'Chorus Pro : rattachement à {companyName} refusé',
  'mail.attachmentRejected.body':
    'Bonjour {firstName} {lastName},\n\nVotre demande de rattachement n° {id} à {companyName} ({structureId}) a été refusée par {decidedBy}.{hasReason, select, yes {\n\nMotif : {reason}} other {}}\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.attachmentAdded.subject':
    'Chorus Pro : vous êtes {title, select, Mme {rattachée} M. {rattaché} other {rattaché·e}} à {companyName}',
  'mail.attachmentAdded.body':
    'Bonjour {firstName} {lastName},\n\n{decidedBy} vous a {title, select, Mme {rattachée} M. {rattaché} other {rattaché·e}} à {companyName} ({structureId}) comme {role}, pour {scope}.\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.gpDesignated.subject': 'Chorus Pro : gestionnaire principal désigné pour {companyName}',
  'mail.gpDesignated.body':
    'Bonjour {firstName} {lastName},\n\n{you, select, designee {{decidedBy}, correspondant dématérialisation, vous a {title, select, Mme {désignée} M. {désigné} other {désigné·e}} {title, select, Mme {gestionnaire principale} other {gestionnaire principal}} de {companyName} ({structureId}) : vous en gérez désormais les demandes, les utilisateurs et les habilitations, sur toute la structure.} other {{decidedBy}, correspondant dématérialisation, a désigné {designeeName} ({designee}) gestionnaire principal de {companyName} ({structureId}), dont vous êtes gestionnaire.}}\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.attachmentUndecidable.subject':
    'Chorus Pro : demande de rattachement sans gestionnaire pour {companyName}',
  'mail.attachmentUndecidable.body':
    'Bonjour {firstName} {lastName},\n\n{requesterName} ({requester}) demande un rattachement à {companyName} ({structureId}), pour {scope} (demande n° {id}), mais aucun compte actif ne peut la traiter : la structure n’a pas de gestionnaire principal en fonction. Il vous revient de lui en désigner un.\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.gpTransferred.subject': 'Chorus Pro : nouveau gestionnaire principal de {companyName}',
  'mail.gpTransferred.body':
    'Bonjour {firstName} {lastName},\n\n{you, select, former {Vous avez transmis le rôle de gestionnaire principal de {companyName} ({structureId}) à {successor} ; vous restez {title, select, Mme {rattachée} M. {rattaché} other {rattaché·e}} à la structure comme {title, select, Mme {utilisatrice simple} other {utilisateur simple}}.} successor {{former} vous a transmis le rôle de gestionnaire principal de {companyName} ({structureId}) : vous en êtes désormais {title, select, Mme {la gestionnaire principale} other {le gestionnaire principal}}.} other {Le rôle de gestionnaire principal de {companyName} ({structureId}) est passé de {former} à {successor}.}}\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
  'mail.weeklyDigest.subject':
    'Chorus Pro : synthèse de la semaine {weekShort}{partial} — {companyName}',
  'mail.weeklyDigest.body':
    'Bonjour {firstName} {lastName},\n\nVoici {count, plural, one {le mouvement} other {les # mouvements}} de la semaine {weekLong}{partial} sur {companyName} ({structureId}) :\n\n{lines}\n\nCe message est envoyé automatiquement, merci de ne pas y répondre.',
} as const;
