/**
 * "Lifecycle email" page: the flows (FlowsSection), the template gallery (every template by kind, with the languages
 * it exists in, linking to the editor) and the local outbox (what the embedded transport
 * "sent", viewable without a mail server). Each section shows only to admins whose role may
 * read it; the outbox holds real recipients' mail.
 */
import { Box, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { Route, Routes } from 'react-router-dom';
import { FlowsSection } from '../components/FlowsSection';
import { MessageLog } from '../components/MessageLog';
import { PERMISSIONS, useCan } from '../utils/permissions';
import { FlowEditor } from './FlowEditor';

const UID = 'plugin::lifecycle-email.email-template';
interface Gallery {
  templates: Array<{ documentId: string; name: string; kind: string; versions: Array<{ locale: string; subject: string }> }>;
}
interface Outbox {
  messages: Array<{ file: string; to: string; subject: string; sentAt: string }>;
}

const Overview = () => {
  const { get } = useFetchClient();
  const { formatMessage, formatDate } = useIntl();
  const canGallery = useCan('galleryRead');
  const canOutbox = useCan('outboxRead');
  const canFlows = useCan('flowsRead');
  const canMessages = useCan('messagesRead');
  const [gallery, setGallery] = React.useState<Gallery | null>(null);
  const [outbox, setOutbox] = React.useState<Outbox | null>(null);
  const [html, setHtml] = React.useState<string | null>(null);

  React.useEffect(() => {
    if (canGallery) get<Gallery>('/lifecycle-email/gallery').then(({ data }) => setGallery(data));
  }, [get, canGallery]);
  React.useEffect(() => {
    if (canOutbox) get<Outbox>('/lifecycle-email/outbox').then(({ data }) => setOutbox(data));
  }, [get, canOutbox]);

  const open = async (file: string) => setHtml((await get<{ html: string }>(`/lifecycle-email/outbox/${encodeURIComponent(file)}`)).data.html);

  return (
    <Page.Main>
      <Layouts.Header
        title={formatMessage({ id: 'lifecycle-email.page.title', defaultMessage: 'Lifecycle email' })}
        subtitle={formatMessage({ id: 'lifecycle-email.page.subtitle', defaultMessage: 'Flows, templates by kind and language, the message log and the local outbox' })}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {canFlows && <FlowsSection />}
          {canGallery && (
            <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius>
              <Typography variant="delta" tag="h2">
                {formatMessage({ id: 'lifecycle-email.gallery.title', defaultMessage: 'Templates' })}
              </Typography>
              <Table colCount={3} rowCount={(gallery?.templates.length ?? 0) + 1}>
                <Thead>
                  <Tr>
                    <Th><Typography variant="sigma">{formatMessage({ id: 'lifecycle-email.gallery.kind', defaultMessage: 'Kind' })}</Typography></Th>
                    <Th><Typography variant="sigma">{formatMessage({ id: 'lifecycle-email.gallery.name', defaultMessage: 'Name' })}</Typography></Th>
                    <Th><Typography variant="sigma">{formatMessage({ id: 'lifecycle-email.gallery.languages', defaultMessage: 'Languages' })}</Typography></Th>
                  </Tr>
                </Thead>
                <Tbody>
                  {gallery?.templates.map((t) => (
                    <Tr key={t.documentId} data-testid="moat-gallery-row">
                      <Td><Typography title={t.kind}>{formatMessage({ id: `lifecycle-email.kind.${t.kind}`, defaultMessage: t.kind })}</Typography></Td>
                      {/* the store owner's own label, in their words (data-moat-data: not Moat's wording) */}
                      <Td data-moat-data=""><Typography>{t.name}</Typography></Td>
                      <Td>
                        <Flex gap={2}>
                          {t.versions.map((v) => (
                            <a key={v.locale} title={v.subject} href={`/admin/content-manager/collection-types/${UID}/${t.documentId}?plugins[i18n][locale]=${v.locale}`}>
                              {v.locale}
                            </a>
                          ))}
                        </Flex>
                      </Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
            </Box>
          )}
          {canMessages && <MessageLog />}
          {canOutbox && (
            <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius>
              <Typography variant="delta" tag="h2">
                {formatMessage({ id: 'lifecycle-email.outbox.title', defaultMessage: 'Outbox' })}
              </Typography>
              {outbox && outbox.messages.length === 0 && (
                <Typography tag="p">
                  {formatMessage({
                    id: 'lifecycle-email.outbox.empty',
                    defaultMessage: 'Nothing sent yet. Use "send test" or a flow; with the default transport messages land here.',
                  })}
                </Typography>
              )}
              <Flex direction="column" alignItems="stretch" gap={1}>
                {outbox?.messages.map((m) => (
                  <button key={m.file} type="button" data-testid="moat-outbox-row" onClick={() => open(m.file)} style={{ textAlign: 'left', background: 'none', border: 0, cursor: 'pointer', padding: 4 }}>
                    <Typography>
                      {formatDate(new Date(m.sentAt), { dateStyle: 'medium', timeStyle: 'short' })} · {m.to} · {m.subject}
                    </Typography>
                  </button>
                ))}
              </Flex>
              {html && <iframe title={formatMessage({ id: 'lifecycle-email.outbox.frame', defaultMessage: 'Outbox message' })} data-testid="moat-outbox-frame" srcDoc={html} sandbox="" style={{ width: '100%', height: 600, border: '1px solid #dcdce4' }} />}
            </Box>
          )}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

/** The overview, and the flow editor at flows/new and flows/:id (for admins who may read flows). */
const App = () => {
  const canFlows = useCan('flowsRead');
  return (
    <Routes>
      <Route index element={<Overview />} />
      {canFlows && <Route path="flows/:id" element={<FlowEditorPage />} />}
    </Routes>
  );
};

const FlowEditorPage = () => {
  const { formatMessage } = useIntl();
  return (
    <Page.Main>
      <Layouts.Header title={formatMessage({ id: 'lifecycle-email.editor.title', defaultMessage: 'Flow editor' })} />
      <Layouts.Content>
        <FlowEditor />
      </Layouts.Content>
    </Page.Main>
  );
};

/** For admins who may read the flows, the gallery, the message log or the outbox; others get Strapi's "no permissions" page. */
const ProtectedApp = () => (
  <Page.Protect permissions={[...PERMISSIONS.galleryRead, ...PERMISSIONS.outboxRead, ...PERMISSIONS.messagesRead, ...PERMISSIONS.flowsRead]}>
    <App />
  </Page.Protect>
);

export default ProtectedApp;
