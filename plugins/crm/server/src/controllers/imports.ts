import { unlink } from 'node:fs/promises';
import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { mappingSchema } from '../services/import';
import { getService } from '../utils/get-service';
import { type AdminCtx, scopeOf } from '../utils/scope';
import { answer, parsed } from './respond';

interface Upload {
  filepath: string;
  originalFilename?: string | null;
  size: number;
}
const jobIdSchema = z.coerce.number().int().positive();

/** multipart: `file` (the CSV) and `mapping` (JSON: CSV column → customer field or "ignore") */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async start(ctx: AdminCtx) {
    const files = (ctx.request as unknown as { files?: Record<string, Upload | Upload[]> }).files;
    const file = Array.isArray(files?.file) ? files.file[0] : files?.file;
    if (!file) return ctx.badRequest('file: attach the CSV file as multipart field "file"');
    let mapping: unknown;
    try {
      mapping = JSON.parse(String((ctx.request.body as { mapping?: unknown } | undefined)?.mapping ?? ''));
    } catch {
      await unlink(file.filepath).catch(() => undefined);
      return ctx.badRequest('mapping: a JSON object of CSV column → customer field');
    }
    const valid = parsed(ctx, z.object({ mapping: mappingSchema }), { mapping });
    if (!valid) {
      await unlink(file.filepath).catch(() => undefined);
      return;
    }
    const remove = () => void unlink(file.filepath).catch(() => undefined);
    await answer(ctx, () => getService(strapi, 'import').start(file.filepath, file.originalFilename ?? null, valid.mapping, scopeOf(ctx).userId, remove), 202);
  },
  async status(ctx: AdminCtx) {
    const id = parsed(ctx, jobIdSchema, ctx.params.id);
    if (id === undefined) return;
    const scope = scopeOf(ctx);
    await answer(ctx, () => getService(strapi, 'import').status(id, scope.userId, scope.all));
  },
});
