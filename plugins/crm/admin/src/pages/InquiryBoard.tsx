/** Inquiries by status (new → contacted → quoted → negotiating → won / lost); overdue follow-up tasks highlighted; a card moves with its status select. */
import { Badge, Box, Flex, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';
import { Select } from '../components/Select';
import { messageOf, useT } from '../utils/t';

interface Card {
  documentId: string;
  productTitle: string | null;
  quantity: number | null;
  unit: string | null;
  status: string;
  lostReason: string | null;
  customer: { documentId: string; email: string | null; name: string | null; company: string | null } | null;
  overdue: Array<{ documentId: string; dueAt: string; cadenceStep: number | null }>;
}
interface Board {
  columns: Array<{ status: string; total: number; cards: Card[] }>;
}
const STATUSES = ['new', 'contacted', 'quoted', 'negotiating', 'won', 'lost'];

export const InquiryBoard = () => {
  const t = useT();
  const { get, put } = useFetchClient();
  const { formatDate } = useIntl();
  const [board, setBoard] = React.useState<Board | null>(null);
  const [notice, setNotice] = React.useState<string | null>(null);
  const load = React.useCallback(() => get<Board>('/crm/inquiries').then(({ data }) => setBoard(data)).catch((e) => setNotice(messageOf(e))), [get]);
  React.useEffect(() => {
    load();
  }, [load]);
  const move = (card: Card, status: string) => {
    // a lost inquiry needs its reason (the API refuses one without)
    const lostReason = status === 'lost' ? window.prompt(t('board.lostReason')) : undefined;
    if (status === 'lost' && !lostReason) return;
    put(`/crm/inquiries/${card.documentId}/status`, { status, ...(lostReason ? { lostReason } : {}) })
      .then(load)
      .catch((e) => setNotice(messageOf(e)));
  };
  if (!board) return <Typography>{notice ?? t('loading')}</Typography>;
  return (
    <Box>
      {notice && <Typography textColor="danger600">{notice}</Typography>}
      <Flex gap={3} alignItems="flex-start" style={{ overflowX: 'auto' }}>
        {board.columns.map((col) => (
          <Box key={col.status} style={{ minWidth: 220, flex: 1 }} background="neutral100" padding={2} hasRadius data-testid={`crm-board-${col.status}`}>
            <Typography variant="sigma">{t(`status.${col.status}`)} ({col.total})</Typography>
            {col.cards.map((card) => (
              <Box
                key={card.documentId}
                marginTop={2}
                padding={3}
                hasRadius
                background={card.overdue.length ? 'danger100' : 'neutral0'}
                borderColor={card.overdue.length ? 'danger600' : 'neutral200'}
                data-testid="crm-inquiry-card"
                data-overdue={card.overdue.length > 0 ? 'true' : 'false'}
              >
                <Typography fontWeight="bold" tag="p">{card.productTitle ?? '—'}{card.quantity ? ` × ${card.quantity} ${card.unit ?? ''}` : ''}</Typography>
                {card.customer && (
                  <Link to={`../customers/${card.customer.documentId}`}>
                    <Typography variant="pi">{card.customer.name ?? card.customer.email}</Typography>
                  </Link>
                )}
                {card.lostReason && <Typography tag="p" variant="pi">{card.lostReason}</Typography>}
                {card.overdue.length > 0 && (
                  <Box paddingTop={1}>
                    <Badge backgroundColor="danger600" textColor="neutral0" data-testid="crm-overdue">
                      {t('board.overdue', { count: card.overdue.length, since: formatDate(new Date(card.overdue[0].dueAt)) })}
                    </Badge>
                  </Box>
                )}
                <Box paddingTop={2}>
                  <Select label={t('board.move')} value={card.status} options={STATUSES.map((s): [string, string] => [s, t(`status.${s}`)])} onChange={(s) => s !== card.status && move(card, s)} />
                </Box>
              </Box>
            ))}
          </Box>
        ))}
      </Flex>
    </Box>
  );
};
