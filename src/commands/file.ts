import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { enumOption } from './options.js';
import { z } from 'zod';
import type { Downloaded, FileView } from '../app/files.js';
import { withStore } from '../app/session.js';
import { FILE_TYPES } from '../domain/enums.js';
import { checkFileName, designation as designationSchema, fileType } from '../domain/file.js';
import { visible } from '../domain/text.js';
import * as f from '../domain/fields.js';
import { InvalidInputError, UsageError } from '../errors.js';
import { t as translate, type Lang, type MessageKey } from '../i18n/index.js';
import type { OutputTarget } from '../io/file-output.js';
import type { Column } from '../ui/output.js';
import { askChoice, askChoices, askText, confirm, interactive } from '../ui/prompts.js';
import { actorOf, examples, globalsOf, parse, userPath, type Globals } from './context.js';

/** `file …`: the holder's files (pièces jointes, SPEC 7 and 9). */

const FILE_COLUMNS: Column<FileView>[] = [
  { key: 'id', label: 'col.id', priority: 1 },
  { key: 'designation', label: 'col.designation', priority: 1, min: 12 },
  { key: 'type', label: 'col.fileType', as: 'fileType', priority: 2 },
  { key: 'name', label: 'col.fileName', priority: 2, min: 12 },
  { key: 'size', label: 'col.sizeBytes', priority: 3 },
  { key: 'mediaType', label: 'col.mediaType' },
  { key: 'sha256', label: 'col.sha256', as: 'hash' },
  { key: 'account', label: 'col.account' },
  { key: 'createdAt', label: 'col.createdAt', priority: 4 },
];
const LIST_COLUMNS = FILE_COLUMNS.filter((c) =>
  ['id', 'designation', 'type', 'name', 'size', 'createdAt'].includes(c.key),
);
const DOWNLOAD_COLUMNS: Column<Downloaded>[] = [
  { key: 'id', label: 'col.id' },
  { key: 'name', label: 'col.fileName' },
  { key: 'path', label: 'col.path', priority: 1, min: 16 },
  { key: 'size', label: 'col.sizeBytes' },
  { key: 'sha256', label: 'col.sha256', as: 'hash', priority: 4 },
];

// a store's row id (1 to 2^31 - 1): a larger number is invalid input, not a driver's overflow
const fileId = f.rowId;
const ids = z.object({ ID: z.array(fileId) });

/** The ids given, or on a terminal the files ticked from the holder's list; none ticked: none. */
async function idsOf(g: Globals, actor: string, given: string[]): Promise<number[]> {
  if (given.length > 0) return parse(ids, { ID: given }).ID;
  if (!interactive(g.out)) throw new UsageError('usage.missingValue', { option: 'ID' });
  const { listFiles } = await import('../app/files.js');
  const mine = await withStore(g.store, (s) => listFiles(s, actor, {}));
  if (mine.length === 0) {
    g.out.info('file.noneToChoose');
    return [];
  }
  return askChoices(
    g.out,
    g.out.t('file.askIds'),
    mine.map((file) => ({
      value: file.id,
      // stored text, shown in a terminal: its control and bidirectional characters written out
      name: visible(`${file.id}  ${file.name}  ${file.designation} (${file.type})`),
    })),
    'ID',
  );
}

/** `-o -`: standard output, one file; a folder for several, or a path ending in a separator, or an existing folder; else that file. */
function outputOf(g: Globals, given: string | undefined, count: number): OutputTarget {
  if (given === '-') {
    if (count > 1) throw new UsageError('file.stdoutOne');
    return { to: 'stream', stream: g.io.stdout };
  }
  if (given === undefined) return { to: 'dir', path: g.io.cwd };
  const output = userPath(g, given);
  const isDir = fs.statSync(output, { throwIfNoEntry: false })?.isDirectory() ?? false;
  if (count > 1 || isDir || given.endsWith('/') || given.endsWith(path.sep))
    return { to: 'dir', path: output };
  return { to: 'file', path: output };
}

const namesOf = (files: FileView[]) => files.map((file) => `${file.name} (${file.id})`).join(', ');

export function fileCommand(lang: Lang): Command {
  const t = (key: MessageKey) => translate(lang, key);
  const file = new Command('file')
    .description(t('cmd.file'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as pauline.dufour@mairie-pau.fr file add carte-grise.pdf --designation "Carte grise Clio" --type CARTE_GRISE',
        'chorus-admin --as pauline.dufour@mairie-pau.fr file list',
      ),
    );

  file
    .command('add')
    .description(t('cmd.file.add'))
    .argument('<path>', t('arg.filePath'))
    .option('--designation <text>', t('opt.designation'))
    // an unknown type refuses the file with the file's own words (`fileType`)
    .addOption(enumOption('--type <type>', t('opt.fileType'), FILE_TYPES, true))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as pauline.dufour@mairie-pau.fr file add ~/Documents/carte-grise.pdf --designation "Carte grise Clio" --type CARTE_GRISE',
      ),
    )
    .action(
      async (filePath: string, opts: { designation?: string; type?: string }, cmd: Command) => {
        const g = globalsOf(cmd);
        const actor = actorOf(g);
        if (opts.designation === undefined || opts.type === undefined) {
          // a file that will be refused for its name is refused before anything is asked
          const named = checkFileName(path.basename(filePath));
          if (!named.ok)
            throw new InvalidInputError(
              [{ field: 'PATH', message: named.key, params: named.params }],
              'file.refused',
              { file: path.basename(filePath) },
            );
        }
        const designation =
          opts.designation ??
          (await askText(
            g.out,
            g.out.t('file.askDesignation'),
            (v) =>
              (designationSchema.safeParse(v).error?.issues[0]?.message as
                MessageKey | undefined) ?? null,
            '--designation',
          ));
        const type =
          opts.type ?? (await askChoice(g.out, g.out.t('file.askType'), FILE_TYPES, '--type'));
        const { addFile } = await import('../app/files.js');
        const added = await withStore(g.store, (s) =>
          addFile(s, actor, { path: userPath(g, filePath), designation, type }),
        );
        g.out.success('file.added', { id: added.id, name: added.name, size: added.size });
        await g.out.record(added, FILE_COLUMNS);
      },
    );

  file
    .command('list')
    .description(t('cmd.file.list'))
    .option('--account <login>', t('opt.fileAccount'))
    .addOption(enumOption('--type <type>', t('opt.fileTypeFilter'), FILE_TYPES))
    .option('--designation <text>', t('opt.designationFilter'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as pauline.dufour@mairie-pau.fr file list --type CARTE_GRISE',
        'chorus-admin --as corr@dgfip.fr file list --account pauline.dufour@mairie-pau.fr --json',
      ),
    )
    .action(async (opts: Record<string, string | undefined>, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const input = parse(
        z.object({
          account: f.login.optional(),
          type: fileType.optional(),
          designation: z.string().optional(),
        }),
        opts,
      );
      const { listFiles } = await import('../app/files.js');
      await g.out.list(await withStore(g.store, (s) => listFiles(s, actor, input)), LIST_COLUMNS);
    });

  file
    .command('show')
    .description(t('cmd.file.show'))
    .argument('<id>', t('arg.fileId'))
    .addHelpText(
      'after',
      examples(lang, 'chorus-admin --as pauline.dufour@mairie-pau.fr file show 12 --json'),
    )
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const [ID] = parse(ids, { ID: [id] }).ID;
      const { showFiles } = await import('../app/files.js');
      const [shown] = await withStore(g.store, (s) => showFiles(s, actor, [ID!]));
      await g.out.record(shown!, FILE_COLUMNS);
    });

  file
    .command('download')
    .description(t('cmd.file.download'))
    .argument('[ids...]', t('arg.fileIds'))
    .option('-o, --output <path>', t('opt.output'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin --as pauline.dufour@mairie-pau.fr file download 12 -o carte-grise.pdf',
        'chorus-admin --as pauline.dufour@mairie-pau.fr file download 12 13 14 -o ~/pieces/',
        'chorus-admin --as pauline.dufour@mairie-pau.fr file download 12 -o - > copie.pdf',
      ),
    )
    .action(async (given: string[], opts: { output?: string }, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const chosen = await idsOf(g, actor, given);
      if (chosen.length === 0) return g.out.info('output.cancelled');
      // `-o` is also the program's (an xlsx workbook's file): commander hands it to the program
      const output = opts.output ?? cmd.optsWithGlobals<{ output?: string }>().output;
      const target = outputOf(g, output, new Set(chosen).size);
      const { downloadFiles } = await import('../app/files.js');
      let written: Downloaded[];
      try {
        written = await withStore(g.store, (s) => downloadFiles(s, actor, chosen, target));
      } catch (err) {
        // the reader of stdout stopped (`| head`): its choice, and the bytes were checked before the first went out
        if (target.to === 'stream' && (err as NodeJS.ErrnoException).code === 'EPIPE') return;
        throw err;
      }
      g.out.success('file.downloaded', { count: written.length });
      if (target.to !== 'stream') await g.out.list(written, DOWNLOAD_COLUMNS);
    });

  file
    .command('remove')
    .description(t('cmd.file.remove'))
    .argument('[ids...]', t('arg.fileIds'))
    .addHelpText(
      'after',
      examples(lang, 'chorus-admin --as pauline.dufour@mairie-pau.fr file remove 12 13 --yes'),
    )
    .action(async (given: string[], _opts: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      const actor = actorOf(g);
      const chosen = await idsOf(g, actor, given);
      if (chosen.length === 0) return g.out.info('output.cancelled');
      const { removeFiles, showFiles } = await import('../app/files.js');
      // unknown or unreachable ids are said before anything is asked
      const files = await withStore(g.store, (s) => showFiles(s, actor, chosen, 'file.manage'));
      if (
        !(await confirm(g.out, g.yes, 'file.confirmRemove', {
          count: files.length,
          names: namesOf(files),
        }))
      )
        return g.out.info('output.cancelled');
      const removed = await withStore(g.store, (s) => removeFiles(s, actor, chosen));
      g.out.success('file.removed', { count: removed.length, names: namesOf(removed) });
      await g.out.list(removed, LIST_COLUMNS);
    });

  return file;
}
