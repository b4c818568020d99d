import type { FileRef, FileStore } from '../../files/file-store.js';
import type { Connector, ConnectorResult, JobRun } from '../connector.js';
import { isFileRef } from '../http/connector.js';
import { badConfig, thrownFailure } from '../http/outcome.js';
import { renderTemplate } from '../http/template.js';
import { readPdfConfig } from './config.js';

/**
 * Makes a PDF from a text template with data items and stores it into a file data item. A
 * re-run stores another file (the old one is not reused): files are cheap, lost PDFs are not.
 */
export function pdfConnector(options: { fileStore?: FileStore } = {}): Connector {
  return {
    type: 'pdf',
    async run(job: JobRun): Promise<ConnectorResult> {
      const read = readPdfConfig(job.automation.configs);
      if (!read.ok) return badConfig(read.error);
      const config = read.config;
      if (!options.fileStore) return badConfig('this server has no file store for the PDF');
      const issue = await job.issue();
      const item = issue.app.dataItems[config.fileItem];
      if (Object.keys(issue.app.dataItems).length > 0 && item?.valueType !== 'file') {
        return badConfig(`config "fileItem": ${config.fileItem} is not a file data item of the app`);
      }
      const text = renderTemplate(config.template, issue);
      if (!text.ok) return badConfig(`config "template": ${text.error}`);
      const name = renderTemplate(config.fileName, issue);
      if (!name.ok) return badConfig(`config "fileName": ${name.error}`);
      const fileName = name.text.replace(/[\\/\0\r\n]/g, '_').trim() || 'document.pdf';
      let bytes: Uint8Array;
      try {
        // loaded on first use: pdf-lib and the font are not needed to start the server
        const { renderPdf } = await import('./render-pdf.js');
        bytes = await renderPdf(text.text, {
          pageSize: config.pageSize,
          fontSize: config.fontSize,
          title: fileName,
        });
      } catch (error) {
        return {
          ok: false,
          error: { code: 'PDF_FAILED', message: `PDF: ${(error as Error).message}` },
          retryable: false,
        };
      }
      let ref: FileRef;
      try {
        const stored = await options.fileStore.put(job.workspaceId, {
          name: fileName.toLowerCase().endsWith('.pdf') ? fileName : `${fileName}.pdf`,
          contentType: 'application/pdf',
          bytes,
        });
        ref = { id: stored.id, name: stored.name, contentType: stored.contentType, size: stored.size };
      } catch (error) {
        return thrownFailure(error, 'storing the PDF');
      }
      const current = issue.data[config.fileItem];
      const kept = config.mode === 'append' && Array.isArray(current) ? current.filter(isFileRef) : [];
      return { ok: true, data: { [config.fileItem]: [...kept, ref] as never } };
    },
  };
}
