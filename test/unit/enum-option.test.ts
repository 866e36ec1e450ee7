import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { enumOption } from '../../src/commands/options.js';
import { InvalidInputError } from '../../src/errors.js';

const parsed = (option: ReturnType<typeof enumOption>, ...args: string[]) => {
  const cmd = new Command('x').exitOverride().addOption(option);
  cmd.parse(args, { from: 'user' });
  return cmd.opts();
};

describe('enumOption', () => {
  it('takes a value in any case and gives it as the enumeration spells it', () => {
    const status = () => enumOption('--status <status>', 'statut', ['ACTIF', 'INACTIF']);
    expect(parsed(status(), '--status', 'inactif').status).toBe('INACTIF');
    expect(parsed(status(), '--status', ' Actif ').status).toBe('ACTIF');
    expect(status().argChoices).toEqual(['ACTIF', 'INACTIF']);
  });

  it('collects a variadic option, and keeps a default apart', () => {
    const many = enumOption('--status <status...>', 'statuts', ['VALIDEE', 'REFUSEE']).default([
      'VALIDEE',
    ]);
    expect(parsed(many, '--status', 'refusee', 'validee').status).toEqual(['REFUSEE', 'VALIDEE']);
  });

  it('refuses any other value as invalid input naming the option and the choices', () => {
    const role = enumOption('--role <role>', 'rôle', ['UTILISATEUR', 'GESTIONNAIRE_PRINCIPAL']);
    let caught: unknown;
    try {
      parsed(role, '--role', 'chef');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect((caught as InvalidInputError).issues).toEqual([
      {
        field: '--role',
        message: 'validation.choice',
        params: { value: 'chef', choices: 'UTILISATEUR, GESTIONNAIRE_PRINCIPAL' },
      },
    ]);
  });

  it('checkedLater: an unknown value is left for the command’s schema', () => {
    const type = enumOption('--type <type>', 'type', ['RIB', 'AUTRE'], true);
    expect(parsed(type, '--type', 'facture').type).toBe('facture');
  });
});
