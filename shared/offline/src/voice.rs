//! How a character speaks, from the free-text voice a person gave them.

use crate::rng::Dice;
use storyloom_domain::voice::VoiceProfile;

/// What a line of dialogue is for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Line {
    Hello,
    Worry,
    Cheer,
    Idea,
    Joy,
}

/// The traits of a voice that change what a character says and how.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Voice {
    questions: bool,
    whisper: bool,
    loud: bool,
    rhymes: bool,
    grand: bool,
}

impl Voice {
    pub(crate) fn read(description: &str) -> Voice {
        let p = VoiceProfile::read(description);
        Voice {
            questions: p.questions,
            whisper: p.whisper,
            loud: p.loud,
            rhymes: p.rhymes,
            grand: p.grand,
        }
    }

    /// The verb that tags this character's speech.
    fn verb(self, dice: &mut Dice) -> &'static str {
        if self.whisper {
            "whispered"
        } else if self.loud {
            dice.pick::<&str>(&["boomed", "called out"])
        } else if self.rhymes {
            "sang"
        } else {
            dice.pick::<&str>(&["said", "said", "cried", "called"])
        }
    }

    /// One line of dialogue, with its speech tag, as a sentence.
    pub(crate) fn say(
        self,
        name: &str,
        line: Line,
        worry: Option<&(String, String)>,
        simple: bool,
        turn: usize,
        dice: &mut Dice,
    ) -> String {
        let words: &[&str] = match (line, self.questions, self.grand && !simple, self.rhymes) {
            (_, _, _, true) => match line {
                Line::Hello => &[
                    "Hello, hello, come and play, it is a lovely day",
                    "Hop and skip, hop and skip, come along upon our trip",
                ],
                Line::Worry => &[
                    "Oh dear, oh dear, I wish you were near",
                    "Big and black, I want to go back",
                ],
                Line::Cheer => &[
                    "Step by step and bit by bit, we will get the hang of it",
                    "Do not fear, your friend is here",
                    "Up you get and try once more, you are braver than before",
                    "Slow and steady, you are ready",
                    "Hand in hand, we will stand",
                    "Do not stop, we are nearly at the top",
                ],
                Line::Idea => &[
                    "I know, I know, this way we go",
                    "Try it slow, and on we go",
                    "Here is a plan, we can, we can",
                    "Round and round, a way is found",
                ],
                Line::Joy => &["Hip hooray, we found the way", "What a day, hip hip hooray"],
            },
            (Line::Hello, true, _, _) => &["What shall we do today", "Do you want to play"],
            (Line::Worry, true, _, _) => &["What if it is too hard", "Why does it feel so big"],
            (Line::Cheer, true, _, _) => &[
                "Shall we try together",
                "What if we go slowly",
                "Can you see how well you did",
                "Shall I hold on too",
                "Do you want a hand",
                "How about one more go",
                "Can I help you",
                "Did you see that",
            ],
            (Line::Idea, true, _, _) => &[
                "What if we try it this way",
                "Could this work",
                "Shall we go the long way round",
                "How about a song",
                "Why not look from up high",
            ],
            (Line::Joy, true, _, _) => &["Did we really do it", "Can we do it again tomorrow"],
            (Line::Hello, _, true, _) => {
                &["Good day, my splendid friend", "What a marvellous morning"]
            }
            (Line::Worry, _, true, _) => &["This is most troubling", "I confess I feel uneasy"],
            (Line::Cheer, _, true, _) => &[
                "Courage is a muscle, and you have plenty",
                "Together we are formidable",
                "Splendid effort, truly splendid",
                "Onwards, my friend",
                "You are braver than you believe",
            ],
            (Line::Idea, _, true, _) => {
                &["I propose a cunning plan", "Allow me to suggest something"]
            }
            (Line::Joy, _, true, _) => &["Magnificent", "A triumph, a true triumph"],
            (Line::Hello, ..) => &[
                "Hello, friend",
                "Come and play with me",
                "Look at me",
                "Good morning",
            ],
            (Line::Worry, ..) => &[
                "I do not like this",
                "I feel wobbly inside",
                "I want to go home",
            ],
            (Line::Cheer, ..) if simple => &[
                "You can do it",
                "I am right here",
                "Keep going",
                "Go on, go on",
                "I know you can",
                "Look how far you came",
                "Nearly there",
                "One more step",
                "Be brave",
            ],
            (Line::Cheer, ..) => &[
                "You can do it",
                "I am right here with you",
                "One small step, then another",
                "Keep going",
                "Look how far you came",
                "I believe in you",
                "We can do this together",
                "Nearly there",
                "You are doing so well",
            ],
            (Line::Idea, ..) => &[
                "I have an idea",
                "Let us try this",
                "Follow me",
                "Wait, I know",
            ],
            (Line::Joy, ..) => &["We did it", "Hooray", "That was fun"],
        };
        // `turn` walks a character's lines in order (a page further on says the next
        // one), so a book uses every line of a kind before it repeats one.
        let mut text = words[turn % words.len()].to_string();
        if let Some((question, statement)) =
            worry.filter(|_| matches!(line, Line::Worry) && !self.rhymes)
        {
            text = if self.questions {
                question.clone()
            } else {
                statement.clone()
            };
        }
        let question = [
            "What", "Why", "Where", "How", "Who", "Can", "Could", "Shall", "Did", "Do", "Is",
            "Will",
        ]
        .iter()
        .any(|w| text.split_whitespace().next() == Some(*w));
        let (mark, verb) = if question {
            ('?', "asked")
        } else if matches!(line, Line::Joy | Line::Cheer) || self.loud {
            ('!', self.verb(dice))
        } else {
            (',', self.verb(dice))
        };
        format!("\u{201c}{text}{mark}\u{201d} {verb} {name}.")
    }
}

impl PartialEq for Line {
    fn eq(&self, other: &Self) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}
