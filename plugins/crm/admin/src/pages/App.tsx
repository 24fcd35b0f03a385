/**
 * The CRM's admin: customers (list and the customer page), the inquiry board, live visitors and
 * CSV import/export, one route each under /plugins/crm. Tabs show only what the role may use.
 */
import { Box, Flex } from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import { NavLink, Route, Routes } from 'react-router-dom';
import { READ_CUSTOMERS, useCan } from '../utils/permissions';
import { useT } from '../utils/t';
import { CustomerList } from './CustomerList';
import { CustomerPage } from './CustomerPage';
import { ImportExport } from './ImportExport';
import { InquiryBoard } from './InquiryBoard';
import { LiveVisitors } from './LiveVisitors';

const Tabs = () => {
  const t = useT();
  const inquiries = useCan('inquiriesManage');
  const live = useCan('liveRead');
  const canImport = useCan('customersImport');
  const canExport = useCan('customersExport');
  const tabs: Array<[string, string, boolean]> = [
    ['', t('nav.customers'), true],
    ['inquiries', t('nav.inquiries'), inquiries],
    ['live', t('nav.live'), live],
    ['import', t('nav.import'), canImport || canExport],
  ];
  return (
    <Flex gap={4} paddingBottom={4}>
      {tabs
        .filter(([, , allowed]) => allowed)
        .map(([to, label]) => (
          <NavLink key={to} end to={to} style={({ isActive }) => ({ fontWeight: isActive ? 700 : 400, textDecoration: 'none' })}>
            {label}
          </NavLink>
        ))}
    </Flex>
  );
};

const App = () => {
  const t = useT();
  return (
    <Page.Protect permissions={READ_CUSTOMERS}>
      <Page.Main>
        <Page.Title>{t('title')}</Page.Title>
        <Layouts.Header title={t('title')} subtitle={t('subtitle')} />
        <Layouts.Content>
          <Tabs />
          <Box>
            <Routes>
              <Route index element={<CustomerList />} />
              <Route path="customers/:id" element={<CustomerPage />} />
              <Route path="inquiries" element={<InquiryBoard />} />
              <Route path="live" element={<LiveVisitors />} />
              <Route path="import" element={<ImportExport />} />
            </Routes>
          </Box>
        </Layouts.Content>
      </Page.Main>
    </Page.Protect>
  );
};

export default App;
