import type { ReactNode } from 'react';
import { Drawer, Loader, MantineProvider, Modal, createTheme, type CSSVariablesResolver } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from '../api/client';

const theme = createTheme({
  primaryColor: 'blue',
  // Shade 8 (#1971c2) rather than Mantine's default 6 (#228be6): white button labels and blue links on white
  // reach WCAG AA contrast (about 5:1; shade 6 is about 3.5:1).
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'md',
  // Visible focus rings on every interactive element, not only for keyboard-detected focus.
  focusRing: 'auto',
  components: {
    // Mantine's close (×) button in a dialog's header has only an icon: give it a name screen readers can say.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    // A spinner is a bare span, where an aria-label is not allowed: as a status it may have one ("Loading files").
    Loader: Loader.extend({ defaultProps: { role: 'status' } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});

// Mantine's light-scheme dimmed text (gray-6, #868e96) is about 3.3:1 on white, under AA's 4.5:1 for small text;
// this gray, between gray-6 and gray-7, is about 6:1 on white and stays readable on the light gray surfaces.
const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#5c636a' },
  dark: {},
});

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // A problem (4xx) will not go away by asking again; a dropped connection may.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

export function Providers({ client, children }: { client: QueryClient; children: ReactNode }) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <Notifications position="bottom-left" />
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}
