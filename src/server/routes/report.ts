import type { FastifyInstance } from 'fastify';
import { PdfRenderer, PdfUnavailable } from '../../export/pdf.js';
import { ApiProblem } from '../problem.js';
import { publicRoute, type ServerContext } from '../route.js';
import { PARAM } from '../schemas.js';
import { findArea, requirePublishedYear } from './areas.js';

export const PDF_TYPE = 'application/pdf';

/** Where this server itself answers, for its own Chromium: loopback and the port it listens on. */
function selfOrigin(app: FastifyInstance): string | undefined {
  const address = app.server.address();
  if (!address || typeof address === 'string') return undefined;
  const host =
    address.family === 'IPv6'
      ? `[${address.address === '::' ? '::1' : address.address}]`
      : address.address === '0.0.0.0'
        ? '127.0.0.1'
        : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * The printable area report as PDF: Chromium renders the portal's report page (/gebieden/{code}/rapport)
 * of this same server, so the PDF shows exactly what the public page shows — published figures
 * only. Rendered once per published version and area (the representation cache), Chromium is
 * started on the first request and closed with the server.
 */
export function reportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const renderer = new PdfRenderer();
  app.addHook('onClose', () => renderer.close());
  publicRoute<{ year?: string }, { code: string }>(app, ctx, {
    path: '/areas/{code}/report.pdf',
    operationId: 'downloadAreaReportPdf',
    summary: 'Het gebiedsrapport als PDF',
    description:
      'Het afdrukbare gebiedsprofiel van het openbare portaal (alleen gepubliceerde cijfers), als PDF (A4) gemaakt door Chromium.',
    tags: ['gebieden'],
    produces: [PDF_TYPE],
    params: { code: PARAM.areaCode },
    query: { year: PARAM.year },
    ok: { description: 'Het rapport als PDF.', download: true },
    errors: [400, 404, 503],
    compute: async ({ version, params, query }) => {
      const area = findArea(version, params.code);
      requirePublishedYear(version, query.year);
      const origin = selfOrigin(app);
      if (!origin)
        throw new ApiProblem(
          503,
          'pdf_not_available',
          'De server luistert niet op een poort; een PDF kan niet gemaakt worden.',
        );
      try {
        const page = `${origin}/gebieden/${encodeURIComponent(area.code)}/rapport${query.year ? `?jaar=${query.year}` : ''}`;
        const body = await renderer.render(page, {
          readySelector: 'body[data-ready="true"]',
        });
        return {
          body,
          headers: {
            'Content-Disposition': `attachment; filename="gebiedsrapport-${area.code}${query.year ? `-${query.year}` : ''}.pdf"`,
          },
        };
      } catch (e) {
        if (e instanceof PdfUnavailable)
          throw new ApiProblem(503, 'pdf_not_available', `Er kan geen PDF gemaakt worden: ${e.message}`);
        throw e;
      }
    },
  });
}
