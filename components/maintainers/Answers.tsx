import { useId, useState } from 'react';
import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Label } from '@twilio-paste/core/label';
import { Paragraph } from '@twilio-paste/core/paragraph';
import { Text } from '@twilio-paste/core/text';
import { TextArea } from '@twilio-paste/core/textarea';
import type { TMaintainerAnswer, TMaintainerAnswersView } from '@/lib/shared/maintainer-answers';
import { type TMaintainerLink, useMaintainerList } from './use-maintainer-list';

// The maintainers' answers on the dashboard: replies maintainers wrote in Slack to readers' questions, proposed
// as answers (masked, without anyone's name), or a question and answer written here (WriteAnswer), to approve (readers' questions are then answered from them, cited
// as "Answered by the maintainers"), reject, or edit first; the approved ones, to read or retract; the rejected
// ones, to reconsider. Loaded in the browser from /api/maintainers/answers.

type TDecision = { id: number; status: 'approved' | 'rejected' | null; question?: string; answer?: string };
type TDraft = { question: string; answer: string; status: 'approved' | null };

const ORIGIN_TEXT: Record<TMaintainerAnswer['origin'], string> = { slack: 'From a Slack reply', dashboard: 'Written on the dashboard' };

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

/** An answer's texts, and its editor while it is being edited. */
function AnswerItem({
  item,
  isBusy,
  decide,
  children,
}: {
  item: TMaintainerAnswer;
  isBusy: boolean;
  decide: (decision: TDecision) => Promise<boolean>;
  children: (startEditing: () => void) => React.ReactNode;
}) {
  const [draft, setDraft] = useState<{ question: string; answer: string } | null>(null);
  const id = useId();
  const headingId = `${id}-question`;
  if (draft) {
    const save = async (status: TDecision['status']) => {
      if (await decide({ id: item.id, status, question: draft.question, answer: draft.answer })) setDraft(null);
    };
    const isEmpty = draft.question.trim() === '' || draft.answer.trim() === '';
    const current = item.status === 'proposed' ? null : item.status;
    return (
      <Box as="li" marginBottom="space60" aria-labelledby={headingId} data-testid="maintainer-answer">
        <Heading as="h4" variant="heading50" id={headingId}>
          Editing answer {item.id}
        </Heading>
        <Box marginBottom="space40">
          <Label htmlFor={`${id}-q`}>Question</Label>
          <TextArea id={`${id}-q`} value={draft.question} onChange={(event) => setDraft({ ...draft, question: event.target.value })} />
        </Box>
        <Box marginBottom="space40">
          <Label htmlFor={`${id}-a`}>Answer</Label>
          <TextArea id={`${id}-a`} value={draft.answer} onChange={(event) => setDraft({ ...draft, answer: event.target.value })} />
        </Box>
        <Box display="flex" columnGap="space30" flexWrap="wrap">
          {item.status !== 'approved' ? (
            <Button variant="primary" size="small" disabled={isBusy || isEmpty} onClick={() => void save('approved')}>
              Save and approve
            </Button>
          ) : null}
          <Button variant={item.status === 'approved' ? 'primary' : 'secondary'} size="small" disabled={isBusy || isEmpty} onClick={() => void save(current)}>
            Save
          </Button>
          <Button variant="link" size="small" disabled={isBusy} onClick={() => setDraft(null)}>
            Cancel
          </Button>
        </Box>
      </Box>
    );
  }
  return (
    <Box as="li" marginBottom="space60" aria-labelledby={headingId} data-testid="maintainer-answer">
      <Heading as="h4" variant="heading50" id={headingId}>
        {item.question.split('\n')[0]}
      </Heading>
      {item.question.includes('\n') ? (
        <Text as="p" whiteSpace="pre-wrap" marginBottom="space30">
          {item.question}
        </Text>
      ) : null}
      <Box borderLeftStyle="solid" borderLeftWidth="borderWidth20" borderLeftColor="colorBorderWeak" paddingLeft="space40" marginBottom="space30">
        <Text as="p" whiteSpace="pre-wrap">
          {item.answer}
        </Text>
      </Box>
      <Text as="p" color="colorTextWeak" fontSize="fontSize20" marginBottom="space30">
        {ORIGIN_TEXT[item.origin]} · proposed {day(item.createdAt)}
        {item.decidedAt ? ` · ${item.status} ${day(item.decidedAt)}` : ''}
        {item.url ? (
          <>
            {' · '}
            <Anchor href={item.url}>Read it on the site</Anchor>
          </>
        ) : null}
      </Text>
      <Box display="flex" columnGap="space30" flexWrap="wrap">
        {children(() => setDraft({ question: item.question, answer: item.answer }))}
      </Box>
    </Box>
  );
}

/** A maintainer's own answer: a question as readers would ask it and its answer in Markdown, proposed or approved at once. */
function WriteAnswer({ isBusy, write }: { isBusy: boolean; write: (draft: TDraft) => Promise<boolean> }) {
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState('');
  const id = useId();
  const isEmpty = question.trim() === '' || answer.trim() === '';
  const save = async (status: TDraft['status']) => {
    if (await write({ question, answer, status })) {
      setQuestion('');
      setAnswer('');
    }
  };
  return (
    <Box as="form" aria-labelledby={`${id}-heading`} marginBottom="space70" data-testid="write-answer" onSubmit={(event: React.FormEvent) => event.preventDefault()}>
      <Heading as="h3" variant="heading40" id={`${id}-heading`}>
        Write an answer
      </Heading>
      <Box marginBottom="space40">
        <Label htmlFor={`${id}-q`}>Question</Label>
        <TextArea id={`${id}-q`} maxLength={4000} value={question} onChange={(event) => setQuestion(event.target.value)} />
      </Box>
      <Box marginBottom="space40">
        <Label htmlFor={`${id}-a`}>Answer (Markdown)</Label>
        <TextArea id={`${id}-a`} maxLength={8000} value={answer} onChange={(event) => setAnswer(event.target.value)} />
      </Box>
      <Box display="flex" columnGap="space30" rowGap="space30" flexWrap="wrap">
        <Button variant="primary" size="small" disabled={isBusy || isEmpty} onClick={() => void save('approved')}>
          Approve and publish
        </Button>
        <Button variant="secondary" size="small" disabled={isBusy || isEmpty} onClick={() => void save(null)}>
          Save as proposal
        </Button>
      </Box>
    </Box>
  );
}

export function MaintainerAnswersSection({ link }: { link: TMaintainerLink }) {
  const answers = useMaintainerList<TMaintainerAnswersView>({ path: '/api/maintainers/answers', link, what: 'the answers' });
  const { view, error } = answers;
  const [busy, setBusy] = useState<number | null>(null);

  const decide = async (decision: TDecision): Promise<boolean> => {
    setBusy(decision.id);
    try {
      return await answers.decide(decision);
    } finally {
      setBusy(null);
    }
  };

  const list = (items: TMaintainerAnswer[], testId: string, actions: (item: TMaintainerAnswer, startEditing: () => void) => React.ReactNode) => (
    <Box as="ul" margin="space0" paddingLeft="space0" listStyleType="none" data-testid={testId}>
      {items.map((item) => (
        <AnswerItem key={item.id} item={item} isBusy={busy !== null} decide={decide}>
          {(startEditing) => actions(item, startEditing)}
        </AnswerItem>
      ))}
    </Box>
  );
  const isBusy = busy !== null;
  const [isWriting, setIsWriting] = useState(false);
  const write = async (draft: TDraft): Promise<boolean> => {
    setIsWriting(true);
    try {
      return await answers.decide(draft);
    } finally {
      setIsWriting(false);
    }
  };

  return (
    <Box as="section" aria-labelledby="answers-heading" marginBottom="space80">
      <Heading as="h2" variant="heading30" id="answers-heading">
        Maintainers’ answers
      </Heading>
      <Paragraph>
        Replies you wrote in Slack to readers’ questions, proposed as answers, and answers you write here: masked, without anyone’s name. Approve
        one and readers’ questions are answered from it, cited as “Answered by the maintainers”; edit it first if it needs to stand on its own.
      </Paragraph>
      <WriteAnswer isBusy={isBusy || isWriting} write={write} />
      {error ? <Paragraph>{error}</Paragraph> : null}
      {view === null && !error ? <Paragraph>Loading…</Paragraph> : null}
      {view ? (
        <>
          <Heading as="h3" variant="heading40">
            Proposed ({view.proposed.length})
          </Heading>
          {view.proposed.length === 0 ? <Paragraph>No proposed answers.</Paragraph> : null}
          {list(view.proposed, 'answers-proposed', (item, startEditing) => (
            <>
              <Button variant="primary" size="small" disabled={isBusy} onClick={() => void decide({ id: item.id, status: 'approved' })}>
                Approve
              </Button>
              <Button variant="secondary" size="small" disabled={isBusy} onClick={() => void decide({ id: item.id, status: 'rejected' })}>
                Reject
              </Button>
              <Button variant="secondary" size="small" disabled={isBusy} onClick={startEditing}>
                Edit
              </Button>
            </>
          ))}
          <Heading as="h3" variant="heading40">
            Approved ({view.approved.length})
          </Heading>
          {view.approved.length === 0 ? <Paragraph>No approved answers.</Paragraph> : null}
          {list(view.approved, 'answers-approved', (item, startEditing) => (
            <>
              <Button variant="secondary" size="small" disabled={isBusy} onClick={startEditing}>
                Edit
              </Button>
              <Button variant="secondary" size="small" disabled={isBusy} onClick={() => void decide({ id: item.id, status: null })}>
                Retract
              </Button>
              <Button variant="secondary" size="small" disabled={isBusy} onClick={() => void decide({ id: item.id, status: 'rejected' })}>
                Reject
              </Button>
            </>
          ))}
          <Heading as="h3" variant="heading40">
            Rejected ({view.rejected.length})
          </Heading>
          {view.rejected.length === 0 ? <Paragraph>No rejected answers.</Paragraph> : null}
          {list(view.rejected, 'answers-rejected', (item) => (
            <>
              <Button variant="secondary" size="small" disabled={isBusy} onClick={() => void decide({ id: item.id, status: 'approved' })}>
                Approve
              </Button>
              <Button variant="link" size="small" disabled={isBusy} onClick={() => void decide({ id: item.id, status: null })}>
                Back to proposed
              </Button>
            </>
          ))}
        </>
      ) : null}
    </Box>
  );
}
