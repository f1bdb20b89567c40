// The root layout: global styles (KaTeX's and ours, all served locally) and the
// page frame. No web fonts: the system font stack keeps the app offline-capable.
import type { Metadata } from 'next';
import type { JSX, ReactNode } from 'react';
import 'katex/dist/katex.min.css';
import '../notebook-model/render/render.css';
import './files/files.css';
import './app.css';
import { THEME_BOOT } from './theme/theme';
import './share/sharing.css';
import './notebook/notebook.css';
import './versions/versions.css';
import './workshop/workshop.css';
import './forks/forks.css';
import './stale/stale.css';
import './comments/comments.css';

export const metadata: Metadata = {
  title: 'Cellmate',
  description: 'Collaborative real-time Jupyter notebooks',
};

export default function RootLayout({ children }: { children: ReactNode }): JSX.Element {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
