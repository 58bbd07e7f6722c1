import ReactMarkdown from 'react-markdown';

// react-markdown renders no raw HTML from the document (it is escaped), so a shared file cannot
// inject markup or script into the page. Links open outside the app.
export default function Markdown({ source }: { source: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown
        components={{
          a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer nofollow" />,
        }}
      >
        {source}
      </ReactMarkdown>
    </div>
  );
}
